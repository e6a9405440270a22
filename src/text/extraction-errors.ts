/** Why a file yielded no text; mapped to the record's extraction error by `extractAttachmentText`. */
export class CorruptFileError extends Error {}

/** Password-protected: the content is ciphertext without the password. */
export class EncryptedFileError extends Error {}

// The core types this module builds on, in one import for the Jira files.
export type {
  Clock,
  Directory,
  Handler,
  ProductContext,
  ProductModule,
  Rng,
  RouteTable,
  ScaleCounts,
  SimRequest,
  SimResponse,
  SimGroup,
  SimUser,
} from '../core/types';

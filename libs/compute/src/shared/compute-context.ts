/** Who is asking and how they reached us: the project (tenant) and the base their links must be built on. */
export interface ComputeContext {
  project: string;
  /** e.g. `http://127.0.0.1:8085/compute/v1/` */
  base: string;
}

export type WireObject = Record<string, unknown>;

export interface ListQuery {
  filter?: string;
  orderBy?: string;
  maxResults?: string | number;
  pageToken?: string;
}

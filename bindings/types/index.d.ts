// The package's API. The wire types (every object, parameter and union) are generated into
// ./api.d.ts by `cargo xtask codegen` from the same JSON Schemas as the Rust types crate.
import type * as Api from "./api.js";

export * from "./api.js";

/** Settings of a client; every field is optional. */
export interface ClientOptions {
  /** `x-api-key`; defaults to `ANTHROPIC_API_KEY` where `process.env` exists. */
  apiKey?: string | null;
  /** `Authorization: Bearer`; used when there is no API key (`ANTHROPIC_AUTH_TOKEN`). */
  authToken?: string | null;
  /** The API's address; defaults to `ANTHROPIC_BASE_URL`, then the public API. */
  baseURL?: string | null;
  /** Retries after the first attempt (default 2; 0 disables retrying). */
  maxRetries?: number;
  /** Milliseconds one attempt may take (default 600000). */
  timeout?: number;
  /** Headers sent with every request. */
  defaultHeaders?: Record<string, string>;
  /** Beta values added to every request's `anthropic-beta`. */
  betas?: string[];
  /**
   * Allows running in a browser, where the key is visible to the page's users. The client then
   * sends `anthropic-dangerous-direct-browser-access: true`, which the API needs for CORS.
   */
  dangerouslyAllowBrowser?: boolean;
}

/** Per-call settings. */
export interface RequestOptions {
  /** Milliseconds one attempt may take. */
  timeout?: number;
  /** Retries after the first attempt. */
  maxRetries?: number;
  /** Extra headers. */
  headers?: Record<string, string>;
  /** Extra beta values, merged with the endpoint's own. */
  betas?: string[];
}

/** Where a list starts: at most one of the three. */
export interface CursorParams {
  /** Page size. */
  limit?: number;
  /** A `next_page` value to continue from. */
  page?: string;
  /** List items after this ID. */
  after_id?: string;
  /** List items before this ID (walks backwards). */
  before_id?: string;
}

/** The query of the environment, agent, vault and memory store lists. */
export interface ArchivableListParams extends CursorParams {
  /** Whether archived objects are listed too (default false). */
  include_archived?: boolean;
}

/** The query of the session list. */
export interface SessionListParams extends ArchivableListParams {
  order?: "asc" | "desc";
  agent_id?: string;
  statuses?: Api.SessionStatus[];
  "created_at[gte]"?: string;
  "created_at[gt]"?: string;
  "created_at[lte]"?: string;
  "created_at[lt]"?: string;
}

/** The query of the file list. */
export interface FileListParams extends CursorParams {
  /** Only this session's files (its outputs). */
  scope_id?: string;
}

/** A list: iterate with `for await`; pages are fetched as items are read. */
export type ItemList<T> = AsyncIterable<T>;

/** The calls environments, agents, vaults, memory stores and sessions share. */
export interface ObjectResource<T, Create, Update, List> {
  create(params: Create, options?: RequestOptions): Promise<T>;
  retrieve(id: string, options?: RequestOptions): Promise<T>;
  update(id: string, params: Update, options?: RequestOptions): Promise<T>;
  archive(id: string, options?: RequestOptions): Promise<T>;
  list(params?: List, options?: RequestOptions): ItemList<T>;
}

/** A resource whose objects can be deleted. */
export interface DeletableResource<T, Create, Update, List> extends ObjectResource<
  T,
  Create,
  Update,
  List
> {
  delete(id: string, options?: RequestOptions): Promise<Api.Deleted>;
}

/** The resources mounted into a session. */
export interface SessionResources {
  /** Only file resources can be added to a running session. */
  add(
    sessionID: string,
    params: Extract<Api.ResourceParams, { type: "file" }>,
    options?: RequestOptions,
  ): Promise<Api.SessionResource>;
  retrieve(
    resourceID: string,
    params: { session_id: string },
    options?: RequestOptions,
  ): Promise<Api.SessionResource>;
  update(
    resourceID: string,
    params: { session_id: string } & Api.SessionResourceUpdateParams,
    options?: RequestOptions,
  ): Promise<Api.SessionResource>;
  delete(
    resourceID: string,
    params: { session_id: string },
    options?: RequestOptions,
  ): Promise<Api.Deleted>;
  list(
    sessionID: string,
    params?: CursorParams,
    options?: RequestOptions,
  ): ItemList<Api.SessionResource>;
}

/** Sessions, and through them their resources. */
export interface Sessions extends DeletableResource<
  Api.Session,
  Api.SessionCreateParams,
  Api.SessionUpdateParams,
  SessionListParams
> {
  resources: SessionResources;
}

/** The content and name of an upload. */
export interface FileUploadParams {
  /** The content; a `File` also gives the name and type. */
  file: Blob | Uint8Array | ArrayBuffer;
  /** The file name (default: the `File`'s name). */
  filename?: string;
  /** The content type (default: the Blob's type, else guessed from the name). */
  mimeType?: string;
}

/** The Files API and session outputs. */
export interface Files {
  upload(params: FileUploadParams, options?: RequestOptions): Promise<Api.FileObject>;
  /** The file's bytes, intact. */
  download(fileID: string, options?: RequestOptions): Promise<Uint8Array>;
  retrieveMetadata(fileID: string, options?: RequestOptions): Promise<Api.FileObject>;
  delete(fileID: string, options?: RequestOptions): Promise<Api.Deleted>;
  list(params?: FileListParams, options?: RequestOptions): ItemList<Api.FileObject>;
}

/** A client of the Managed Agents API. */
export declare class ManagedAgents {
  constructor(options?: ClientOptions);
  environments: DeletableResource<
    Api.Environment,
    Api.EnvironmentCreateParams,
    Api.EnvironmentUpdateParams,
    ArchivableListParams
  >;
  agents: ObjectResource<
    Api.Agent,
    Api.AgentCreateParams,
    Api.AgentUpdateParams,
    ArchivableListParams
  >;
  vaults: DeletableResource<
    Api.Vault,
    Api.VaultCreateParams,
    Api.VaultUpdateParams,
    ArchivableListParams
  >;
  memoryStores: DeletableResource<
    Api.MemoryStore,
    Api.MemoryStoreCreateParams,
    Api.MemoryStoreUpdateParams,
    ArchivableListParams
  >;
  sessions: Sessions;
  files: Files;
}
export default ManagedAgents;

/** The base class of every error this package throws. */
export declare class ManagedAgentsError extends Error {
  /**
   * `api`, `connection`, `timeout`, `validation`, `decode`, `pagination`, `invalid_argument`,
   * `unavailable` (a resource group left out of this build by its cargo feature), `client`.
   */
  readonly kind: string;
}
/** The API answered with an error status. */
export declare class APIError extends ManagedAgentsError {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly requestID: string | undefined;
  readonly type: Api.ErrorType | undefined;
  readonly body: string;
  readonly error: Api.ErrorResponse | undefined;
}
export declare class BadRequestError extends APIError {}
export declare class AuthenticationError extends APIError {}
export declare class PermissionDeniedError extends APIError {}
export declare class NotFoundError extends APIError {}
export declare class ConflictError extends APIError {}
export declare class RateLimitError extends APIError {}
export declare class InternalServerError extends APIError {}
/** No answer arrived: the network failed, or a browser refused the response (CORS). */
export declare class APIConnectionError extends ManagedAgentsError {}
/** An attempt took longer than its timeout (after every retry). */
export declare class APIConnectionTimeoutError extends APIConnectionError {}
/** The request broke a documented rule and was not sent, or an argument was malformed. */
export declare class ValidationError extends ManagedAgentsError {}

/**
 * Loads the wasm module (plain ES module builds only; the client does it on first use).
 * Give a URL, a `Response`, bytes or a compiled `WebAssembly.Module` where fetching the
 * `.wasm` next to the module is not possible.
 */
export declare function init(source?: unknown): Promise<unknown>;

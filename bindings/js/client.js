// The JavaScript API of the package, shaped like the official TypeScript SDK's beta resources.
// Every call goes to the wasm module (JSON text both ways, so values are plain wire objects);
// this file only shapes arguments, makes lists async iterable and turns failures into errors.

/** The base class of every error this package throws. */
export class ManagedAgentsError extends Error {
  constructor(message, kind = 'client') {
    super(message);
    this.name = new.target.name;
    /** What failed: `api`, `connection`, `timeout`, `validation`, `decode`, `pagination`,
     * `invalid_argument`, `unavailable` (a resource group left out of this build) or
     * `client`. */
    this.kind = kind;
  }
}

/** The API answered with an error status. */
export class APIError extends ManagedAgentsError {
  constructor(detail) {
    super(detail.message, 'api');
    this.status = detail.status;
    this.headers = detail.headers ?? {};
    this.requestID = detail.request_id ?? undefined;
    this.type = detail.type ?? undefined;
    this.body = detail.body ?? '';
    let error;
    try {
      error = JSON.parse(this.body);
    } catch {
      error = undefined;
    }
    /** The parsed error body (`{ type: "error", error: { type, message }, request_id }`). */
    this.error = error;
  }
}

export class BadRequestError extends APIError {}
export class AuthenticationError extends APIError {}
export class PermissionDeniedError extends APIError {}
export class NotFoundError extends APIError {}
export class ConflictError extends APIError {}
export class RateLimitError extends APIError {}
export class InternalServerError extends APIError {}

/** No answer arrived: the network failed, or a browser refused the response (CORS). */
export class APIConnectionError extends ManagedAgentsError {}
/** An attempt took longer than its timeout (after every retry). */
export class APIConnectionTimeoutError extends APIConnectionError {}
/** The request broke a documented rule and was not sent, or an argument was malformed. */
export class ValidationError extends ManagedAgentsError {}

const STATUS_ERRORS = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  429: RateLimitError,
};

function toError(thrown) {
  const detail = thrown && thrown.managedAgentsError;
  if (!detail) return thrown;
  switch (detail.kind) {
    case 'api': {
      const Class =
        STATUS_ERRORS[detail.status] ?? (detail.status >= 500 ? InternalServerError : APIError);
      return new Class(detail);
    }
    case 'connection':
      return new APIConnectionError(detail.message, detail.kind);
    case 'timeout':
      return new APIConnectionTimeoutError(detail.message, detail.kind);
    case 'validation':
    case 'invalid_argument':
      return new ValidationError(detail.message, detail.kind);
    default:
      return new ManagedAgentsError(detail.message, detail.kind);
  }
}

/** The error of an argument that is not what a call takes, before anything reaches wasm. */
function invalid(name, message) {
  return new ValidationError(`invalid argument \`${name}\`: ${message}`, 'invalid_argument');
}

function kindOf(value) {
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** `value` if it is a string; `undefined` if it is absent (the wasm module says whether the
 * call needs it). Anything else would reach a wasm string parameter, so it is refused here. */
function string(value, name) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(name, `must be a string, not ${kindOf(value)}`);
  return value;
}

/** The JSON text of `value`, an object of named fields, or `undefined` if it is absent. An
 * array or any other value is refused: its items would otherwise be taken as fields by
 * position. */
function text(value, name) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(name, `must be an object, not ${kindOf(value)}`);
  }
  try {
    return JSON.stringify(value);
  } catch (thrown) {
    throw invalid(name, `cannot be encoded as JSON (${thrown.message})`);
  }
}

/** The options a client takes; any other is refused, so that a misspelling (`baseUrl`) never
 * sends the key elsewhere silently. */
const CLIENT_OPTIONS = [
  'apiKey',
  'authToken',
  'baseURL',
  'maxRetries',
  'timeout',
  'defaultHeaders',
  'betas',
  'dangerouslyAllowBrowser',
];

/** The options a call takes. */
const CALL_OPTIONS = ['timeout', 'maxRetries', 'headers', 'betas'];

/** Refuses the keys of the options object `options` (named `name`) outside `known`. */
function onlyOptions(options, known, name) {
  if (options === undefined || options === null) return;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw invalid(name, `must be an object, not ${kindOf(options)}`);
  }
  const extra = Object.keys(options).find((key) => !known.includes(key));
  if (extra !== undefined) {
    throw invalid(
      name,
      `\`${extra}\` is not an option of this package (it takes ${known.join(', ')})`,
    );
  }
  // JSON would turn NaN and Infinity into null, which reads as "not set".
  const { timeout } = options;
  if (
    timeout !== undefined &&
    !(typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0)
  ) {
    throw invalid(`${name}.timeout`, 'must be a number of milliseconds, more than 0');
  }
}

/** The JSON text of per-call `options`, checked. */
function callOptions(options) {
  onlyOptions(options, CALL_OPTIONS, 'options');
  return text(options, 'options');
}

/** Refuses the fields of `params` outside `known`, which the call would otherwise drop. */
function onlyFields(params, known) {
  const extra = Object.keys(params).find((key) => !known.includes(key));
  if (extra !== undefined) throw invalid('params', `${extra}: unknown field`);
}

/** The argument name of the ID in the path of each group's calls (as the wasm module says). */
const ID_FIELDS = {
  environments: 'environment_id',
  agents: 'agent_id',
  vaults: 'vault_id',
  memoryStores: 'memory_store_id',
  sessions: 'session_id',
  'sessions.resources': 'resource_id',
  files: 'file_id',
};

function isBrowserLike() {
  return typeof document !== 'undefined' || typeof importScripts === 'function';
}

/** Makes the client class over a function that resolves to the wasm module's `WasmClient`. */
export function makeClient(loadWasm) {
  return class ManagedAgents {
    #ready;

    constructor(options = {}) {
      onlyOptions(options, CLIENT_OPTIONS, 'options');
      options ??= {};
      const env = (typeof process !== 'undefined' && process.env) || {};
      const apiKey = options.apiKey !== undefined ? options.apiKey : env.ANTHROPIC_API_KEY;
      const authToken =
        options.authToken !== undefined ? options.authToken : env.ANTHROPIC_AUTH_TOKEN;
      if (!options.dangerouslyAllowBrowser && isBrowserLike()) {
        throw new ManagedAgentsError(
          'this looks like a browser, where the API key is visible to everyone who can open the ' +
            'page; if that is acceptable (a short-lived or narrowly scoped key), construct the ' +
            'client with `dangerouslyAllowBrowser: true`',
        );
      }
      if (!apiKey && !authToken) {
        throw new ManagedAgentsError(
          'no credentials: pass `apiKey` (or `authToken`), or set ANTHROPIC_API_KEY',
        );
      }
      const settings = text(
        {
          apiKey: apiKey || undefined,
          authToken: authToken || undefined,
          baseURL: options.baseURL ?? env.ANTHROPIC_BASE_URL ?? undefined,
          maxRetries: options.maxRetries,
          timeout: options.timeout,
          defaultHeaders: options.defaultHeaders,
          betas: options.betas,
          dangerouslyAllowBrowser: Boolean(options.dangerouslyAllowBrowser),
        },
        'options',
      );
      this.#ready = loadWasm().then((WasmClient) => {
        try {
          return new WasmClient(settings);
        } catch (thrown) {
          throw toError(thrown);
        }
      });
      // A failed setup is reported by the first call; it must not count as unhandled before.
      this.#ready.catch(() => {});
      this.environments = objects(this, 'environments', true);
      this.agents = objects(this, 'agents', false);
      this.vaults = objects(this, 'vaults', true);
      this.memoryStores = objects(this, 'memoryStores', true);
      this.sessions = objects(this, 'sessions', true);
      this.sessions.resources = resources(this);
      this.files = files(this);
    }

    /** @internal Runs one call and resolves to the parsed answer. */
    async _call(operation, id, sessionId, params, options) {
      const group = operation.slice(0, operation.lastIndexOf('.'));
      const args = [
        string(id, ID_FIELDS[group]),
        string(sessionId, 'session_id'),
        text(params, 'params'),
        callOptions(options),
      ];
      const wasm = await this.#ready;
      try {
        return JSON.parse(await wasm.call(operation, ...args));
      } catch (thrown) {
        throw toError(thrown);
      }
    }

    /** @internal Uploads a Blob. */
    async _upload(filename, mimeType, blob, options) {
      const args = [
        string(filename, 'filename') ?? '',
        string(mimeType, 'mimeType'),
        blob,
        callOptions(options),
      ];
      const wasm = await this.#ready;
      try {
        return JSON.parse(await wasm.upload(...args));
      } catch (thrown) {
        throw toError(thrown);
      }
    }

    /** @internal Downloads a file's bytes. */
    async _download(id, options) {
      const args = [string(id, 'file_id'), callOptions(options)];
      const wasm = await this.#ready;
      try {
        return await wasm.download(...args);
      } catch (thrown) {
        throw toError(thrown);
      }
    }

    /** @internal An async iterable over a list; pages are fetched as items are read. */
    _list(operation, sessionId, params, options) {
      const ready = this.#ready;
      return {
        async *[Symbol.asyncIterator]() {
          const args = [
            string(sessionId, 'session_id'),
            text(params, 'params'),
            callOptions(options),
          ];
          const wasm = await ready;
          let stream;
          try {
            stream = wasm.list(operation, ...args);
          } catch (thrown) {
            throw toError(thrown);
          }
          try {
            for (;;) {
              let item;
              try {
                item = await stream.next();
              } catch (thrown) {
                throw toError(thrown);
              }
              if (item === undefined) return;
              yield JSON.parse(item);
            }
          } finally {
            stream.free();
          }
        },
      };
    }
  };
}

function objects(client, group, deletable) {
  const resource = {
    create: (params, options) =>
      client._call(`${group}.create`, undefined, undefined, params, options),
    retrieve: (id, options) => client._call(`${group}.retrieve`, id, undefined, undefined, options),
    update: (id, params, options) =>
      client._call(`${group}.update`, id, undefined, params, options),
    archive: (id, options) => client._call(`${group}.archive`, id, undefined, undefined, options),
    list: (params, options) => client._list(`${group}.list`, undefined, params, options),
  };
  if (deletable) {
    resource.delete = (id, options) =>
      client._call(`${group}.delete`, id, undefined, undefined, options);
  }
  return resource;
}

function resources(client) {
  const call = async (action, resourceID, params, options) => {
    const { session_id: sessionID, ...body } = params ?? {};
    const hasBody = action === 'update';
    if (!hasBody) onlyFields(body, []);
    return client._call(
      `sessions.resources.${action}`,
      resourceID,
      sessionID,
      hasBody ? body : undefined,
      options,
    );
  };
  return {
    add: (sessionID, params, options) =>
      client._call('sessions.resources.add', undefined, sessionID, params, options),
    retrieve: (resourceID, params, options) => call('retrieve', resourceID, params, options),
    update: (resourceID, params, options) => call('update', resourceID, params, options),
    delete: (resourceID, params, options) => call('delete', resourceID, params, options),
    list: (sessionID, params, options) =>
      client._list('sessions.resources.list', sessionID, params, options),
  };
}

function files(client) {
  return {
    async upload(params, options) {
      const { file, filename, mimeType } = params ?? {};
      onlyFields(params ?? {}, ['file', 'filename', 'mimeType']);
      let blob = file;
      if (file instanceof Uint8Array || file instanceof ArrayBuffer) {
        blob = new Blob([file]);
      } else if (!(file instanceof Blob)) {
        throw new ValidationError(
          '`file` must be a Blob, a File or a Uint8Array',
          'invalid_argument',
        );
      }
      const name = filename ?? (typeof file.name === 'string' ? file.name : '');
      return client._upload(name, mimeType ?? (blob.type || undefined), blob, options);
    },
    download: (fileID, options) => client._download(fileID, options),
    retrieveMetadata: (fileID, options) =>
      client._call('files.retrieveMetadata', fileID, undefined, undefined, options),
    delete: (fileID, options) =>
      client._call('files.delete', fileID, undefined, undefined, options),
    list: (params, options) => client._list('files.list', undefined, params, options),
  };
}

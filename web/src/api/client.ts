/**
 * The one way the web app talks to the API: JSON over fetch (or XMLHttpRequest for uploads, so
 * progress can be shown), the session cookie sent along, and the CSRF token echoed on writes.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

/** Where the JSON API lives, relative to the app's origin. */
const API_BASE = '/api/v1';

/** An API answer outside 2xx, with the API's stable error code and, when there is one, the offending field. */
export class ApiError extends Error {
  status: number;
  code: string;
  path?: string;
  issues?: { path: string; message: string }[];
  constructor(
    status: number,
    code: string,
    message: string,
    path?: string,
    issues?: { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    if (path !== undefined) this.path = path;
    if (issues !== undefined) this.issues = issues;
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** The CSRF token the server set at sign-in, readable from its cookie so it survives a reload. */
function csrfToken(): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === 'vigil_csrf') return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

let sessionEnded: (() => void) | undefined;

/** Calls `fn` whenever the API answers `auth.required`: the session has ended (or never was). */
export function onSessionEnded(fn: () => void): void {
  sessionEnded = fn;
}

function errorFrom(status: number, text: string): ApiError {
  try {
    const body = JSON.parse(text) as {
      code?: string;
      message?: string;
      path?: string;
      issues?: { path: string; message: string }[];
    };
    if (body.code === 'auth.required') sessionEnded?.();
    return new ApiError(status, body.code ?? 'internal', body.message ?? `HTTP ${status}`, body.path, body.issues);
  } catch {
    return new ApiError(status, status === 0 ? 'network' : 'internal', text || `HTTP ${status}`);
  }
}

/** Calls the API at `path` (relative to /api/v1, e.g. '/allegations?limit=50'); resolves to the parsed body, rejects with ApiError. */
export async function api<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    const token = csrfToken();
    if (token) headers['x-csrf-token'] = token;
  }
  let res: Response;
  try {
    res = await fetch(API_BASE + path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err));
  }
  const text = await res.text();
  if (!res.ok) throw errorFrom(res.status, text);
  return (text === '' ? null : JSON.parse(text)) as T;
}

/** Posts a multipart form to `path` (relative to /api/v1), reporting upload progress; same CSRF handling as `api`. */
export function upload<T>(
  path: string,
  form: FormData,
  onProgress?: (loaded: number, total: number) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', API_BASE + path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    const token = csrfToken();
    if (token) xhr.setRequestHeader('x-csrf-token', token);
    if (onProgress) {
      xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : 0);
    }
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve((xhr.responseText === '' ? null : JSON.parse(xhr.responseText)) as T);
      } else {
        reject(errorFrom(xhr.status, xhr.responseText));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network error'));
    xhr.send(form);
  });
}

/** Loads `path` with GET when it changes (null: load nothing); `reload()` loads it again. */
export function useApi<T>(path: string | null): { data?: T; error?: ApiError; loading: boolean; reload(): void } {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: path !== null });
  const [tick, setTick] = useState(0);
  const current = useRef(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` is the reload trigger: changing it runs the request again
  useEffect(() => {
    if (path === null) {
      setState({ loading: false });
      return;
    }
    const id = ++current.current;
    setState((s) => ({ ...s, loading: true }));
    api<T>('GET', path).then(
      (data) => {
        if (current.current === id) setState({ data, loading: false });
      },
      (err: unknown) => {
        if (current.current === id) {
          setState({ error: err instanceof ApiError ? err : new ApiError(0, 'network', String(err)), loading: false });
        }
      },
    );
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

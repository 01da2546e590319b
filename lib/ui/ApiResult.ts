/** A JSON endpoint's answer: a value to serialize, or an error status with a one-line message. */
export type ApiResult = { readonly status: 200; readonly body: unknown } | { readonly status: 400 | 401 | 403 | 404 | 409; readonly message: string };

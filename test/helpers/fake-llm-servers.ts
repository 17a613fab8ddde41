/**
 * Local HTTP servers that speak the real wire protocols of LLM providers, so tests exercise the AI SDK
 * providers end to end (no SDK mocks):
 *   POST /v1/chat/completions  OpenAI Chat Completions (also OpenAI-compatible servers)
 *   POST /v1/responses         OpenAI Responses
 *   POST /v1/messages          Anthropic Messages (a forced "json" tool is answered with tool_use)
 *   POST /api/chat             Ollama's native chat (its `format` schema)
 *   GET  /v1/models, /api/tags the model lists (OpenAI/compatible, Anthropic; Ollama)
 * A test scripts each reply (answer text, a cut-off answer, HTTP error with headers, or a hang) from
 * the parsed request; request bodies are recorded as sent. `schemaSupport: false` makes a compatible
 * server that refuses `response_format: json_schema` with 400, as some do.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeProtocol = 'openai' | 'responses' | 'anthropic' | 'ollama';

export interface FakeLlmRequest {
  protocol: FakeProtocol;
  /** 1-based order of arrival. */
  n: number;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
  model: string;
  system: string;
  /** The conversation turns (system excluded), as plain text. */
  messages: Array<{ role: string; content: string }>;
  /** "<id>v<version>" from the <paper id="..."> tag of the first user turn, when present. */
  paper: string | null;
  /** Title and abstract as the prompt delimits them (null when absent). */
  title: string | null;
  abstract: string | null;
}

export type FakeReply =
  /** A completed answer; usage defaults to a character-based estimate. `cutOff`: the output budget ended it (finish reason "length"). */
  | { answer: string; usage?: { input: number; output: number }; delayMs?: number; cutOff?: boolean }
  /** An HTTP error with the provider's error body shape. */
  | { status: number; headers?: Record<string, string>; message?: string }
  /** Never answers (until the client gives up or the server closes). */
  | { hang: true };

export type FakeHandler = (request: FakeLlmRequest) => FakeReply | Promise<FakeReply>;

export interface FakeLlmServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** url + "/v1": what LLM_BASE_URL points at. */
  baseUrl: string;
  requests: FakeLlmRequest[];
  /** Most requests ever in flight at once. */
  maxInFlight: number;
  /** Requests answered while their client was still connected (the provider's billing ledger). */
  answered: FakeLlmRequest[];
  /** Requests whose client went away (closed or was killed) before the answer was written. */
  abandoned: FakeLlmRequest[];
  handler: FakeHandler;
  close(): Promise<void>;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (part && typeof part === 'object' && 'text' in part && typeof part.text === 'string' ? part.text : ''))
      .join('');
  }
  return '';
}

function parseRequest(protocol: FakeProtocol, n: number, headers: http.IncomingHttpHeaders, body: Record<string, unknown>): FakeLlmRequest {
  const turns = protocol === 'responses' ? body.input : body.messages;
  const rawMessages = Array.isArray(turns) ? (turns as Array<{ role: string; content: unknown }>) : [];
  let system = protocol === 'anthropic' ? textOf(body.system) : protocol === 'responses' ? textOf(body.instructions) : '';
  const messages: FakeLlmRequest['messages'] = [];
  for (const message of rawMessages) {
    if (message.role === 'system' || message.role === 'developer') system += textOf(message.content);
    else messages.push({ role: message.role, content: textOf(message.content) });
  }
  const first = messages.find((m) => m.role === 'user')?.content ?? '';
  return {
    protocol,
    n,
    headers,
    body,
    model: String(body.model ?? ''),
    system,
    messages,
    paper: /<paper id="([^"]+)">/.exec(first)?.[1] ?? null,
    title: /<title>([\s\S]*?)<\/title>/.exec(first)?.[1] ?? null,
    abstract: /<abstract>\n?([\s\S]*?)\n?<\/abstract>/.exec(first)?.[1] ?? null,
  };
}

const estimateTokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

/** The forced tool of Anthropic structured output (a named tool, or "any" of a single one), when the request carries one. */
export function forcedTool(body: Record<string, unknown>): { name: string; input_schema: Record<string, unknown> } | null {
  const choice = body.tool_choice as { type?: string; name?: string } | undefined;
  const tools = Array.isArray(body.tools) ? (body.tools as Array<{ name: string; input_schema: Record<string, unknown> }>) : [];
  if (choice?.type === 'tool') return tools.find((t) => t.name === choice.name) ?? null;
  return choice?.type === 'any' && tools.length === 1 ? tools[0]! : null;
}

function parsedObject(answer: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(answer);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function successBody(protocol: FakeProtocol, request: FakeLlmRequest, answer: string, usage: { input: number; output: number }, cutOff: boolean): unknown {
  const created = Math.floor(Date.now() / 1000);
  if (protocol === 'anthropic') {
    const tool = forcedTool(request.body)?.name ?? null;
    const input = tool === null || cutOff ? null : parsedObject(answer);
    return {
      id: `msg_01Fake${String(request.n).padStart(6, '0')}`,
      type: 'message',
      role: 'assistant',
      model: request.model,
      content: input === null ? [{ type: 'text', text: answer }] : [{ type: 'tool_use', id: `toolu_fake${request.n}`, name: tool, input }],
      stop_reason: cutOff ? 'max_tokens' : input === null ? 'end_turn' : 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: usage.input, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: usage.output, service_tier: 'standard' },
    };
  }
  if (protocol === 'responses') {
    return {
      id: `resp_fake${request.n}`,
      object: 'response',
      created_at: created,
      status: cutOff ? 'incomplete' : 'completed',
      error: null,
      incomplete_details: cutOff ? { reason: 'max_output_tokens' } : null,
      model: request.model,
      output: answer === '' ? [] : [{ type: 'message', id: `msg_fake${request.n}`, status: cutOff ? 'incomplete' : 'completed', role: 'assistant', content: [{ type: 'output_text', text: answer, annotations: [], logprobs: [] }] }],
      usage: { input_tokens: usage.input, input_tokens_details: { cached_tokens: 0 }, output_tokens: usage.output, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: usage.input + usage.output },
    };
  }
  if (protocol === 'ollama') {
    return {
      model: request.model,
      created_at: new Date().toISOString(),
      message: { role: 'assistant', content: answer },
      done: true,
      done_reason: cutOff ? 'length' : 'stop',
      total_duration: 1_000_000,
      load_duration: 1000,
      prompt_eval_count: usage.input,
      prompt_eval_duration: 1000,
      eval_count: usage.output,
      eval_duration: 1000,
    };
  }
  return {
    id: `chatcmpl-fake${request.n}`,
    object: 'chat.completion',
    created,
    model: request.model,
    choices: [{ index: 0, message: { role: 'assistant', content: answer, refusal: null, annotations: [] }, logprobs: null, finish_reason: cutOff ? 'length' : 'stop' }],
    usage: {
      prompt_tokens: usage.input,
      completion_tokens: usage.output,
      total_tokens: usage.input + usage.output,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_fake0001',
  };
}

function errorBody(protocol: FakeProtocol, status: number, message: string): unknown {
  if (protocol === 'ollama') return { error: message };
  if (protocol === 'anthropic') {
    const type = status === 429 ? 'rate_limit_error' : status === 529 ? 'overloaded_error' : status === 401 ? 'authentication_error' : status >= 500 ? 'api_error' : 'invalid_request_error';
    return { type: 'error', error: { type, message } };
  }
  const type = status === 429 ? 'requests' : status >= 500 ? 'server_error' : 'invalid_request_error';
  const code = status === 429 ? 'rate_limit_exceeded' : status === 401 ? 'invalid_api_key' : null;
  return { error: { message, type, param: null, code } };
}

function defaultMessage(status: number): string {
  if (status === 429) return 'Rate limit reached for requests per min (RPM): Limit 60, Used 60, Requested 1. Please try again in 1s.';
  if (status === 401) return 'Incorrect API key provided.';
  if (status >= 500) return 'The server had an error while processing your request. Sorry about that!';
  return 'Invalid request.';
}

export interface FakeServerOptions {
  /** False: a compatible server that refuses response_format json_schema (400), as some do. */
  schemaSupport?: boolean;
  /** What the model-list endpoints answer. */
  models?: string[];
}

const ROUTES: Record<string, FakeProtocol> = {
  '/v1/chat/completions': 'openai',
  '/v1/responses': 'responses',
  '/v1/messages': 'anthropic',
  '/api/chat': 'ollama',
};

function modelList(url: string, models: readonly string[]): unknown {
  if (url === '/api/tags') return { models: models.map((name) => ({ name, model: name, modified_at: '2026-11-02T10:00:00Z', size: 5_000_000_000, digest: 'sha256:fake', details: { format: 'gguf' } })) };
  return { object: 'list', data: models.map((id) => ({ id, object: 'model', type: 'model', display_name: id, created: 1_760_000_000, created_at: '2025-10-01T00:00:00Z', owned_by: 'fake' })), has_more: false };
}

export async function startFakeLlmServer(handler: FakeHandler, options: FakeServerOptions = {}): Promise<FakeLlmServer> {
  let inFlight = 0;
  const state: FakeLlmServer = {
    url: '',
    baseUrl: '',
    requests: [],
    maxInFlight: 0,
    answered: [],
    abandoned: [],
    handler,
    close: async () => {},
  };
  const server = http.createServer((req, res) => {
    const listPath = (req.url ?? '').split('?')[0]!; // Anthropic's list is asked with ?limit=
    if (req.method === 'GET' && (listPath === '/v1/models' || listPath === '/api/tags') && options.models) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(modelList(listPath, options.models)));
      return;
    }
    const protocol: FakeProtocol | null = req.method === 'POST' ? (ROUTES[req.url ?? ''] ?? null) : null;
    if (protocol === null) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      inFlight += 1;
      state.maxInFlight = Math.max(state.maxInFlight, inFlight);
      let finished = false;
      const finish = () => {
        if (!finished) {
          finished = true;
          inFlight -= 1;
        }
      };
      res.once('close', finish);
      void (async () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        const request = parseRequest(protocol, state.requests.length + 1, req.headers, body);
        state.requests.push(request);
        res.once('close', () => {
          if (!res.writableEnded) state.abandoned.push(request);
        });
        const format = (body.response_format as { type?: string } | undefined)?.type;
        const reply: FakeReply =
          options.schemaSupport === false && format === 'json_schema'
            ? { status: 400, message: "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model." }
            : await state.handler(request);
        if ('hang' in reply) return;
        if ('status' in reply) {
          const message = reply.message ?? defaultMessage(reply.status);
          res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
          res.end(JSON.stringify(errorBody(protocol, reply.status, message)));
          return;
        }
        if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
        const input = estimateTokens(request.system + request.messages.map((m) => m.content).join(''));
        const usage = reply.usage ?? { input, output: estimateTokens(reply.answer) };
        const headers: Record<string, string> =
          protocol === 'anthropic'
            ? { 'request-id': `req_fake${request.n}`, 'anthropic-ratelimit-requests-remaining': '49' }
            : { 'x-request-id': `req_fake${request.n}`, 'openai-processing-ms': '42', 'x-ratelimit-remaining-requests': '59' };
        if (res.destroyed || req.socket.destroyed) return; // the client went away while the answer was being prepared
        res.writeHead(200, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(successBody(protocol, request, reply.answer, usage, reply.cutOff === true)));
        state.answered.push(request);
      })().catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `fake server handler failed: ${String(error)}` } }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}`;
  state.baseUrl = `${state.url}/v1`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

export const id = 373;
export const ids = [373];
export const modules = {

/***/ 7382:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DD: () => (/* binding */ DraftClipClient),
/* harmony export */   KI: () => (/* binding */ postUrl),
/* harmony export */   ig: () => (/* binding */ serverError),
/* harmony export */   rk: () => (/* binding */ readStatus),
/* harmony export */   wE: () => (/* binding */ uploadAnswer),
/* harmony export */   zh: () => (/* binding */ acceptedUpload)
/* harmony export */ });
/* unused harmony exports endpoint, newBoundary, multipartFrame, quoteLongPostIds, COMPLETE_STATUSES */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var undici__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6752);
/* harmony import */ var _inputs_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8422);
/* harmony import */ var _videos_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8100);




class DraftClipClient {
    options;
    dispatcher;
    constructor(options) {
        this.options = options;
        const agentOptions = {
            connect: { timeout: options.connectMs },
            headersTimeout: options.responseMs,
            bodyTimeout: options.responseMs
        };
        // Self-hosted runners often sit behind a proxy given by HTTPS_PROXY / NO_PROXY; but a
        // loopback base-url (plain http allowed) must never send the key through one.
        this.dispatcher = options.useProxy && !(0,_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .isLoopback */ .U9)(options.baseUrl) ? new undici__WEBPACK_IMPORTED_MODULE_1__.EnvHttpProxyAgent(agentOptions) : new undici__WEBPACK_IMPORTED_MODULE_1__.Agent(agentOptions);
    }
    async upload(video) {
        const { boundary, head, tail, length } = multipartFrame(video);
        const controller = new AbortController();
        let bodySent = false;
        let stalled = false;
        const stallTimer = setTimeout(() => {
            stalled = true;
            controller.abort();
        }, this.options.stallMs);
        stallTimer.unref();
        async function* body() {
            yield head;
            for await (const sent of (0,_videos_js__WEBPACK_IMPORTED_MODULE_3__/* .readChunks */ .zO)(video.path, video.size)) {
                // Each resume means the socket took the previous chunk.
                stallTimer.refresh();
                video.onProgress?.(sent.total);
                yield sent.chunk;
            }
            yield tail;
            bodySent = true;
            clearTimeout(stallTimer);
        }
        try {
            const response = await (0,undici__WEBPACK_IMPORTED_MODULE_1__.request)(endpoint(this.options.baseUrl, 'upload.php'), {
                method: 'POST',
                dispatcher: this.dispatcher,
                signal: controller.signal,
                headers: {
                    authorization: `Bearer ${this.options.apiKey}`,
                    'content-type': `multipart/form-data; boundary=${boundary}`,
                    'content-length': String(length),
                    accept: 'application/json',
                    'user-agent': USER_AGENT
                },
                body: body()
            });
            bodySent = true;
            return await readAnswer(response);
        }
        catch (error) {
            return noAnswer(error, bodySent, stalled);
        }
        finally {
            clearTimeout(stallTimer);
        }
    }
    async status(publishId) {
        const url = endpoint(this.options.baseUrl, 'video_status.php');
        url.searchParams.set('publish_id', publishId);
        try {
            const response = await (0,undici__WEBPACK_IMPORTED_MODULE_1__.request)(url, {
                method: 'GET',
                dispatcher: this.dispatcher,
                headersTimeout: 60_000,
                bodyTimeout: 60_000,
                headers: { authorization: `Bearer ${this.options.apiKey}`, accept: 'application/json', 'user-agent': USER_AGENT }
            });
            return await readAnswer(response);
        }
        catch (error) {
            return noAnswer(error, true, false);
        }
    }
    async close() {
        await this.dispatcher.close();
    }
}
const USER_AGENT = 'draftclip-publish (GitHub Action)';
/** The URL of an API endpoint below base-url (which may carry a path prefix). */
function endpoint(baseUrl, file) {
    const url = new URL(baseUrl.href);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/${file}`;
    return url;
}
/** A TikTok post's address (TikTok redirects to the account's own URL). */
function postUrl(postId) {
    return `https://www.tiktok.com/@/video/${encodeURIComponent(postId)}`;
}
/**
 * A fresh random boundary for every request: a fixed one is public, and a
 * crafted video containing it would end its part early and smuggle in fields
 * of its own (caption, privacy) that PHP would take.
 */
function newBoundary() {
    return `----draftclip-publish-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(24).toString('hex')}`;
}
/**
 * The multipart body around the file's bytes, built by hand so that its exact
 * length is known up front: PHP behind FastCGI drops chunked bodies, and a
 * known length lets the file stream from disk in flat memory.
 */
function multipartFrame(video, boundary = newBoundary()) {
    let head = '';
    for (const [name, value] of Object.entries(video.fields)) {
        if (value.includes(boundary))
            throw new Error(`The ${name} of ${video.name} contains the multipart boundary`);
        head += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    }
    head +=
        `--${boundary}\r\nContent-Disposition: form-data; name="video"; filename="${escapeQuoted(video.name)}"\r\n` +
            `Content-Type: ${video.contentType}\r\n\r\n`;
    const headBytes = Buffer.from(head, 'utf8');
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
    return { boundary, head: headBytes, tail, length: headBytes.length + video.size + tail.length };
}
/** Quoting of a multipart filename as browsers do it (WHATWG HTML's multipart/form-data encoding). */
function escapeQuoted(value) {
    return value.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');
}
const MAX_ANSWER_BYTES = 1024 * 1024;
async function readAnswer(response) {
    const chunks = [];
    let size = 0;
    for await (const chunk of response.body) {
        if (size < MAX_ANSWER_BYTES)
            chunks.push(chunk);
        size += chunk.length;
    }
    const text = Buffer.concat(chunks).toString('utf8');
    let json;
    try {
        json = JSON.parse(quoteLongPostIds(text));
    }
    catch {
        json = undefined;
    }
    const retryAfter = response.headers['retry-after'];
    return {
        kind: 'answer',
        httpStatus: response.statusCode,
        json,
        text: text.slice(0, 300),
        retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter
    };
}
/** A post id sent as a bare JSON number has more digits than a double keeps: read it as text. */
function quoteLongPostIds(text) {
    return text.replace(/("public(?:al|l)?y_available_post_id"\s*:\s*)(\[[\d\s,]*\]|\d+(?=\s*[,}]))/g, (_all, key, value) => key + value.replace(/\d+/g, digits => `"${digits}"`));
}
function noAnswer(error, bodySent, stalled) {
    const err = error;
    const code = err.cause?.code ?? err.code ?? 'UNKNOWN';
    const message = stalled ? 'the upload stalled: no bytes moved' : (err.cause?.message ?? err.message ?? String(error));
    return { kind: 'no-answer', code: stalled ? 'STALLED' : code, message, bodySent, stalled };
}
/** Reads DraftClip's upload answer: only JSON with success true and a publish_id is an accepted upload. */
function acceptedUpload(json) {
    const data = isRecord(json) && json.success === true && isRecord(json.data) ? json.data : undefined;
    const publishId = data?.publish_id;
    if (typeof publishId !== 'string' || publishId === '')
        return undefined;
    return { publishId, status: typeof data?.status === 'string' ? data.status : 'PROCESSING_UPLOAD' };
}
/** What an upload answer says, whatever its HTTP status: a publish id anywhere means DraftClip took the video. */
function uploadAnswer(json) {
    if (!isRecord(json))
        return { publishId: undefined, success: undefined, error: undefined };
    const publishId = isRecord(json.data) ? json.data.publish_id : undefined;
    return {
        publishId: typeof publishId === 'string' && publishId !== '' ? publishId : undefined,
        success: json.success,
        error: typeof json.error === 'string' && json.error.trim() !== '' ? json.error : undefined
    };
}
/** The server's own words for a message: its `error` (or `message`) field. */
function serverError(json) {
    if (!isRecord(json))
        return undefined;
    for (const key of ['error', 'message']) {
        const value = json[key];
        if (typeof value === 'string' && value.trim() !== '')
            return value;
    }
    return undefined;
}
const COMPLETE_STATUSES = ['PUBLISH_COMPLETE', 'FAILED', 'SEND_TO_USER_INBOX'];
const INCOMPLETE_STATUSES = ['PROCESSING_UPLOAD', 'PROCESSING'];
/** Reads a status answer's data; undefined when it is not the documented shape. */
function readStatus(json) {
    if (!isRecord(json) || json.success !== true || !isRecord(json.data))
        return undefined;
    const data = json.data;
    if (typeof data.status !== 'string')
        return undefined;
    const status = data.status.toUpperCase();
    return {
        status,
        // The doc's table decides for the statuses it names; is_complete only for one it does not.
        isComplete: COMPLETE_STATUSES.includes(status) || (!INCOMPLETE_STATUSES.includes(status) && data.is_complete === true),
        postId: postIdOf(data.publicaly_available_post_id) ?? postIdOf(data.publicly_available_post_id),
        failReason: typeof data.fail_reason === 'string' && data.fail_reason !== '' ? data.fail_reason : undefined
    };
}
/** DraftClip documents a string; TikTok's own API gives an array of ids (and numbers lose digits). */
function postIdOf(value) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string' && first.trim() !== '')
        return first.trim();
    if (typeof first === 'bigint' || (typeof first === 'number' && Number.isSafeInteger(first)))
        return String(first);
    return undefined;
}
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}


/***/ }),

/***/ 8422:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   R5: () => (/* binding */ readInput),
/* harmony export */   TL: () => (/* binding */ parseInputs),
/* harmony export */   Tu: () => (/* binding */ PRIVACY_LEVELS),
/* harmony export */   U9: () => (/* binding */ isLoopback),
/* harmony export */   pd: () => (/* binding */ Input)
/* harmony export */ });
/* unused harmony exports NO_FILES_OPTIONS, MAX_CONCURRENCY, MAX_RETRIES, InputError, inputVariable */
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);

/** Every input of action.yml, named once. */
const Input = {
    ApiKey: 'api-key',
    Videos: 'videos',
    Description: 'description',
    PrivacyLevel: 'privacy-level',
    Title: 'title',
    Wait: 'wait',
    WaitTimeout: 'wait-timeout',
    PollInterval: 'poll-interval',
    IfNoFilesFound: 'if-no-files-found',
    BaseUrl: 'base-url',
    Retries: 'retries',
    Ledger: 'ledger',
    Concurrency: 'concurrency',
    DryRun: 'dry-run',
    ReleaseNotes: 'release-notes',
    GithubToken: 'github-token',
    ResponseTimeout: 'response-timeout'
};
const PRIVACY_LEVELS = ['SELF_ONLY', 'MUTUAL_FOLLOW_FRIENDS', 'PUBLIC_TO_EVERYONE'];
const NO_FILES_OPTIONS = ['error', 'warn', 'ignore'];
const MAX_CONCURRENCY = 8;
const MAX_RETRIES = 10;
class InputError extends Error {
    problems;
    constructor(problems) {
        super(problems.length === 1 ? problems[0] : `${problems.length} inputs are invalid:\n${problems.map(p => `  - ${p}`).join('\n')}`);
        this.problems = problems;
        this.name = 'InputError';
    }
}
/** The runner's spelling of an input's variable: upper-cased, spaces as underscores, hyphens kept. */
function inputVariable(name) {
    return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}
function readInput(env, name) {
    return (env[inputVariable(name)] ?? '').trim();
}
const LOOPBACK_HOSTS = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;
function isLoopback(url) {
    return LOOPBACK_HOSTS.test(url.hostname);
}
/**
 * Reads every input once, checks it, and returns typed values. All problems
 * are reported together, each naming its input, before anything else runs.
 */
function parseInputs(env) {
    const problems = [];
    const get = (name) => readInput(env, name);
    const bool = (name, fallback) => {
        const raw = get(name);
        if (raw === '')
            return fallback;
        if (['true', 'True', 'TRUE'].includes(raw))
            return true;
        if (['false', 'False', 'FALSE'].includes(raw))
            return false;
        problems.push(`Input '${name}' must be true or false, got '${raw}'.`);
        return fallback;
    };
    const seconds = (name, fallback, min, max) => {
        const raw = get(name);
        if (raw === '')
            return fallback * 1000;
        const value = Number(raw);
        if (!/^(\d+(\.\d*)?|\.\d+)$/.test(raw) || !Number.isFinite(value) || value < min || value > max) {
            problems.push(`Input '${name}' must be a number of seconds from ${min} to ${max}, got '${raw}'.`);
            return fallback * 1000;
        }
        return Math.round(value * 1000);
    };
    const integer = (name, fallback, min, max) => {
        const raw = get(name);
        if (raw === '')
            return fallback;
        if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
            problems.push(`Input '${name}' must be a whole number from ${min} to ${max}, got '${raw}'.`);
            return fallback;
        }
        return Number(raw);
    };
    const oneOf = (name, options, fallback, fold) => {
        const raw = get(name);
        if (raw === '')
            return fallback;
        const value = fold(raw);
        if (!options.includes(value)) {
            problems.push(`Input '${name}' must be one of ${options.join(', ')}, got '${raw}'.`);
            return fallback;
        }
        return value;
    };
    const dryRun = bool(Input.DryRun, false);
    const apiKey = get(Input.ApiKey);
    if (apiKey === '' && !dryRun) {
        problems.push(`Input '${Input.ApiKey}' is required: pass your DraftClip key from a secret, e.g. \${{ secrets.DRAFTCLIP_API_KEY }}.`);
    }
    else if (/\s/.test(apiKey)) {
        problems.push(`Input '${Input.ApiKey}' contains white space; check the secret's value.`);
    }
    else if (apiKey !== '' && !/^[\x21-\x7e]+$/.test(apiKey)) {
        // A zero-width space or a curly quote pasted with the key: no HTTP header can carry it.
        problems.push(`Input '${Input.ApiKey}' contains a character that is not printable ASCII (often a pasted invisible character); check the secret's value.`);
    }
    const patterns = get(Input.Videos)
        .split(/\r?\n/)
        .map(p => p.trim())
        .filter(p => p !== '' && !p.startsWith('#'));
    if (patterns.length === 0) {
        problems.push(`Input '${Input.Videos}' is required: one or more glob patterns, one per line (e.g. release/*.mp4).`);
    }
    else if (patterns.every(p => p.startsWith('!'))) {
        problems.push(`Input '${Input.Videos}' has only exclusions ('!' patterns); add a pattern that includes videos.`);
    }
    const description = get(Input.Description) || undefined;
    const title = get(Input.Title) || undefined;
    const privacyLevel = oneOf(Input.PrivacyLevel, PRIVACY_LEVELS, 'SELF_ONLY', s => s.toUpperCase());
    const wait = bool(Input.Wait, true);
    const waitTimeoutMs = seconds(Input.WaitTimeout, 300, 1, 6 * 3600);
    const pollIntervalMs = seconds(Input.PollInterval, 5, 0.05, 3600);
    const ifNoFilesFound = oneOf(Input.IfNoFilesFound, NO_FILES_OPTIONS, 'error', s => s.toLowerCase());
    const retries = integer(Input.Retries, 3, 0, MAX_RETRIES);
    const concurrency = integer(Input.Concurrency, 1, 1, MAX_CONCURRENCY);
    const releaseNotes = bool(Input.ReleaseNotes, false);
    const responseTimeoutMs = seconds(Input.ResponseTimeout, 600, 1, 3600);
    const githubToken = get(Input.GithubToken) || undefined;
    const baseUrl = parseBaseUrl(get(Input.BaseUrl) || 'https://drafttok.app', problems);
    const workspace = node_path__WEBPACK_IMPORTED_MODULE_0__.resolve(env.GITHUB_WORKSPACE || process.cwd());
    const ledgerRaw = get(Input.Ledger);
    const ledger = ledgerRaw === '' ? undefined : node_path__WEBPACK_IMPORTED_MODULE_0__.resolve(workspace, ledgerRaw);
    if (releaseNotes && !githubToken) {
        problems.push(`Input '${Input.ReleaseNotes}' needs '${Input.GithubToken}' (its default is \${{ github.token }}).`);
    }
    if (problems.length > 0)
        throw new InputError(problems);
    return {
        apiKey,
        patterns,
        description,
        privacyLevel,
        title,
        wait,
        waitTimeoutMs,
        pollIntervalMs,
        ifNoFilesFound,
        baseUrl: baseUrl,
        retries,
        ledger,
        concurrency,
        dryRun,
        releaseNotes,
        githubToken,
        responseTimeoutMs,
        workspace,
        timings: parseTimings(env)
    };
}
function parseBaseUrl(raw, problems) {
    let url;
    try {
        url = new URL(raw);
    }
    catch {
        problems.push(`Input '${Input.BaseUrl}' is not a URL: '${raw}'.`);
        return undefined;
    }
    if (url.username || url.password) {
        problems.push(`Input '${Input.BaseUrl}' must not carry credentials; the key goes in '${Input.ApiKey}'.`);
    }
    else if (url.search || url.hash) {
        problems.push(`Input '${Input.BaseUrl}' must be an origin with an optional path, without '?' or '#': '${raw}'.`);
    }
    else if (url.protocol === 'http:' && !isLoopback(url)) {
        problems.push(`Input '${Input.BaseUrl}' uses plain http to '${url.hostname}': the API key would travel in clear. Use https (plain http is allowed only to localhost/127.0.0.1/[::1]).`);
    }
    else if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        problems.push(`Input '${Input.BaseUrl}' must be an https URL, got '${url.protocol}'.`);
    }
    url.pathname = url.pathname.replace(/\/+$/, '');
    return url;
}
function parseTimings(env) {
    const ms = (name, fallback) => {
        const value = Number(env[`DRAFTCLIP_TEST_${name}`]);
        return Number.isFinite(value) && value > 0 ? value : fallback;
    };
    return {
        stallMs: ms('STALL_MS', 60_000),
        connectMs: ms('CONNECT_MS', 30_000),
        backoffBaseMs: ms('BACKOFF_BASE_MS', 2_000),
        maxDelayMs: ms('MAX_DELAY_MS', 120_000)
    };
}


/***/ }),

/***/ 9373:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: external "node:timers/promises"
var promises_ = __webpack_require__(8500);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
// EXTERNAL MODULE: ./src/draftclip.ts
var draftclip = __webpack_require__(7382);
// EXTERNAL MODULE: ./src/inputs.ts
var src_inputs = __webpack_require__(8422);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs/promises"
var external_node_fs_promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/videos.ts + 2 modules
var src_videos = __webpack_require__(8100);
;// CONCATENATED MODULE: ./src/ledger.ts




/**
 * The ledger: what this action has published, keyed by the SHA-256 of each
 * video's bytes, so that a re-run never posts the same video twice.
 */
/** Written before the upload starts; still there means a run died not knowing the outcome. */
const UPLOADING = 'UPLOADING';
/** The upload may or may not have been taken by DraftClip. */
const UNCONFIRMED = 'UNCONFIRMED';
class LedgerError extends Error {
    constructor(file, problem) {
        super(`The ledger ${file} ${problem}. It was left untouched and nothing was uploaded; fix or restore it, then run again.`);
        this.name = 'LedgerError';
    }
}
const SHA256 = /^[0-9a-f]{64}$/;
/** Parses and checks a ledger's text; a ledger we do not fully understand is never used or overwritten. */
function parseLedger(text, file) {
    let data;
    try {
        data = JSON.parse(text);
    }
    catch (error) {
        throw new LedgerError(file, `is not valid JSON (${error.message})`);
    }
    const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
    if (!isObject(data) || data.version !== 1 || !isObject(data.videos)) {
        throw new LedgerError(file, 'is not a draftclip-publish ledger (expected {"version": 1, "videos": {...}})');
    }
    for (const [hash, entry] of Object.entries(data.videos)) {
        if (!SHA256.test(hash))
            throw new LedgerError(file, `has a key that is not a SHA-256: '${hash}'`);
        const ok = isObject(entry) &&
            typeof entry.status === 'string' &&
            typeof entry.file === 'string' &&
            (entry.publish_id === null || typeof entry.publish_id === 'string') &&
            (entry.post_id === null || typeof entry.post_id === 'string');
        if (!ok)
            throw new LedgerError(file, `has an entry for ${hash} without file, status, publish_id and post_id`);
    }
    return data;
}
/** What to do with a video given its ledger entry. */
function decide(entry) {
    if (!entry)
        return { action: 'upload' };
    // TikTok refused it: publishing it again is a new attempt, not a duplicate.
    if (entry.status === 'FAILED')
        return { action: 'upload' };
    // DraftClip took it (published, in the inbox, or still processing): never again.
    if (entry.publish_id)
        return { action: 'skip', entry };
    return { action: 'unconfirmed', entry };
}
function releaseHint(ledgerFile, hash) {
    return `If it is not on TikTok (check the account and DraftClip's dashboard), delete the entry "${hash}" from ${ledgerFile} and run again.`;
}
/** The SHA-256 of a file's first `size` bytes, read through the same reused buffers as the upload. */
async function hashFile(file, size) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    for await (const { chunk } of (0,src_videos/* readChunks */.zO)(file, size))
        hash.update(chunk);
    return hash.digest('hex');
}
class Ledger {
    file;
    shownAs;
    data;
    writes = Promise.resolve();
    constructor(file, shownAs, data) {
        this.file = file;
        this.shownAs = shownAs;
        this.data = data;
    }
    /** Reads the ledger; a missing file is an empty ledger, an unreadable or corrupt one is an error. */
    static async load(file, shownAs) {
        let text;
        try {
            text = await external_node_fs_promises_.readFile(file, 'utf8');
        }
        catch (error) {
            const code = error.code;
            if (code === 'ENOENT')
                return new Ledger(file, shownAs, { version: 1, videos: {} });
            throw new LedgerError(shownAs, `cannot be read (${code})`);
        }
        return new Ledger(file, shownAs, parseLedger(text, shownAs));
    }
    get(hash) {
        return this.data.videos[hash];
    }
    /** Sets an entry and writes the whole ledger atomically; writes are queued so they never interleave. */
    record(hash, entry) {
        this.data.videos[hash] = { ...this.data.videos[hash], ...entry, updated_at: new Date().toISOString() };
        return this.flush();
    }
    forget(hash) {
        delete this.data.videos[hash];
        return this.flush();
    }
    flush() {
        const text = JSON.stringify(ordered(this.data), null, 2) + '\n';
        // Each write is a whole snapshot: one that failed (a full disk) must not block the ones after it.
        const write = this.writes.catch(() => undefined).then(() => writeAtomic(this.file, text));
        this.writes = write;
        return write;
    }
    /** Settles when every write asked for so far has finished (or failed). */
    idle() {
        return this.writes.catch(() => undefined);
    }
}
const ENTRY_KEYS = ['file', 'status', 'publish_id', 'post_id', 'fail_reason', 'updated_at'];
/**
 * A stable key order keeps diffs small when the ledger is committed back;
 * keys we do not know (a note added by hand) are kept, after ours.
 */
function ordered(data) {
    const first = (value, keys) => {
        const out = {};
        for (const key of keys)
            if (key in value)
                out[key] = value[key];
        return Object.assign(out, value);
    };
    const videos = {};
    for (const hash of Object.keys(data.videos).sort())
        videos[hash] = first(data.videos[hash], ENTRY_KEYS);
    return first({ ...data, videos }, ['version', 'videos']);
}
async function writeAtomic(file, text) {
    await external_node_fs_promises_.mkdir(external_node_path_.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    const handle = await external_node_fs_promises_.open(temp, 'w');
    try {
        await handle.writeFile(text);
        await handle.sync();
    }
    finally {
        await handle.close();
    }
    await external_node_fs_promises_.rename(temp, file);
}

;// CONCATENATED MODULE: ./src/progress.ts

/** Uploads smaller than this finish too fast for progress lines to help. */
const PROGRESS_MIN_BYTES = 50 * 1024 * 1024;
const STEP_FRACTION = 0.1;
const STEP_MS = 5_000;
/**
 * Whether to log a progress line: about every 10 % or every 5 s, whichever is
 * rarer, so a fast upload logs at most ten lines and a slow one one per 10 %.
 */
function shouldReport(total, last, sent, now) {
    if (total < PROGRESS_MIN_BYTES || sent >= total)
        return false;
    return sent - last.bytes >= total * STEP_FRACTION && now - last.at >= STEP_MS;
}
function progressLine(total, start, sent, now) {
    const percent = Math.floor((sent / total) * 100);
    const seconds = Math.max((now - start.at) / 1000, 0.001);
    const rate = (sent - start.bytes) / seconds;
    return `${percent}% (${(0,src_videos/* megabytes */.ix)(sent)} of ${(0,src_videos/* megabytes */.ix)(total)}) at ${(0,src_videos/* megabytes */.ix)(rate)}/s`;
}
/** Tracks one upload and returns a line when one is due. */
function progressTracker(total, now) {
    const start = { bytes: 0, at: now() };
    let last = start;
    return sent => {
        const at = now();
        if (!shouldReport(total, last, sent, at))
            return undefined;
        last = { bytes: sent, at };
        return progressLine(total, start, sent, at);
    };
}

;// CONCATENATED MODULE: ./src/retry-policy.ts

/** Network failures that happen before a single byte reached the server. */
const NEVER_CONNECTED = new Set([
    'ECONNREFUSED',
    'ENOTFOUND',
    'EAI_AGAIN',
    'ENETUNREACH',
    'EHOSTUNREACH',
    'UND_ERR_CONNECT_TIMEOUT',
    'ECONNABORTED'
]);
const LOCAL_FAILURES = new Set(['UND_ERR_INVALID_ARG', 'ENOENT', 'EACCES', 'EISDIR', 'EPERM']);
function judgeUpload(attempt) {
    if (attempt.kind === 'no-answer') {
        // Whatever the error, once the whole body left, the server may have it.
        if (attempt.bodySent) {
            return { kind: 'unconfirmed', reason: `the whole video was sent but no answer came (${attempt.code}: ${attempt.message})` };
        }
        // Refused on this side (a header undici will not send, the file gone or unreadable): nothing to retry.
        if (LOCAL_FAILURES.has(attempt.code))
            return { kind: 'rejected', reason: `could not be sent: ${attempt.message}` };
        if (NEVER_CONNECTED.has(attempt.code)) {
            return { kind: 'retry', reason: `could not connect (${attempt.code})`, retryAfter: undefined, rateLimited: false };
        }
        const what = attempt.stalled ? 'the upload stalled (no bytes moved)' : `the connection broke (${attempt.code})`;
        return { kind: 'retry', reason: `${what} before the whole video was sent`, retryAfter: undefined, rateLimited: false };
    }
    const { httpStatus, json } = attempt;
    const said = (0,draftclip/* serverError */.ig)(json);
    const quoted = said
        ? `: ${said}`
        : json === undefined
            ? ` (the answer was not JSON${attempt.text ? `: ${oneLine(attempt.text)}` : ''})`
            : '';
    const reason = `DraftClip answered HTTP ${httpStatus}${quoted}`;
    const ok = httpStatus >= 200 && httpStatus < 300;
    const accepted = ok ? (0,draftclip/* acceptedUpload */.zh)(json) : undefined;
    if (accepted)
        return { kind: 'accepted', ...accepted };
    const answer = (0,draftclip/* uploadAnswer */.wE)(json);
    // A publish id means DraftClip took it, whatever else the answer says: never again, and keep the id.
    if (answer.publishId)
        return { kind: 'unconfirmed', reason, publishId: answer.publishId };
    // DraftClip's own refusal: its JSON `error`, not claiming success.
    const refused = answer.success === false || (answer.error !== undefined && answer.success !== true);
    if (ok) {
        if (refused)
            return { kind: 'rejected', reason };
        // A success without a publish id, or a body we cannot read, may hide a published video.
        return {
            kind: 'unconfirmed',
            reason: json === undefined ? reason : `DraftClip answered HTTP ${httpStatus} without a publish_id${said ? `: ${said}` : ''}`
        };
    }
    if (httpStatus === 401)
        return { kind: 'unauthorized', reason };
    if (httpStatus === 429)
        return { kind: 'retry', reason, retryAfter: attempt.retryAfter, rateLimited: true };
    if (httpStatus === 503)
        return { kind: 'retry', reason, retryAfter: attempt.retryAfter, rateLimited: false };
    // The doc defines 500 as "Upload failed": with DraftClip's own JSON error it was refused, not half-done.
    // Any other 500 (a framework's {"message": "Server Error"}, a PHP fatal after output) may follow a publish.
    if (httpStatus === 500 && answer.error !== undefined && answer.success !== true)
        return { kind: 'retry', reason, retryAfter: attempt.retryAfter, rateLimited: false };
    // A proxy's timeout may come after the server took the upload (a peer tool posted 4 times after a 408).
    if (httpStatus === 408)
        return { kind: 'unconfirmed', reason };
    if (httpStatus >= 300 && httpStatus < 500)
        return { kind: 'rejected', reason };
    // 502, 504, a 5xx page from a proxy: the server behind it may have published.
    return { kind: 'unconfirmed', reason };
}
/** Status requests are GETs: anything but a readable status or a 401 is worth asking again. */
function judgeStatus(attempt) {
    if (attempt.kind === 'no-answer')
        return { kind: 'transient', reason: `no answer (${attempt.code})` };
    const said = (0,draftclip/* serverError */.ig)(attempt.json);
    const reason = `HTTP ${attempt.httpStatus}${said ? `: ${said}` : attempt.json === undefined ? ' (not JSON)' : ''}`;
    if (attempt.httpStatus === 401)
        return { kind: 'unauthorized', reason };
    const status = attempt.httpStatus === 200 ? (0,draftclip/* readStatus */.rk)(attempt.json) : undefined;
    return status ? { kind: 'status', status } : { kind: 'transient', reason };
}
/** Retry-After as milliseconds from now: delta-seconds or an HTTP date; undefined when absent or unreadable. */
function parseRetryAfter(header, now) {
    if (!header)
        return undefined;
    const value = header.trim();
    if (/^\d+$/.test(value))
        return Number(value) * 1000;
    // An HTTP date (IMF-fixdate, RFC 850 or asctime); Date.parse alone takes '1.5' or '-1' for dates.
    if (!/^[A-Za-z]{3,9},? +\d{1,2}[ -][A-Za-z]{3}[ -]\d{2,4} \d{2}:\d{2}:\d{2} GMT$|^[A-Za-z]{3} [A-Za-z]{3} +\d{1,2} \d{2}:\d{2}:\d{2} \d{4}$/.test(value)) {
        return undefined;
    }
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
/**
 * How long to wait before retry number `retry` (1-based): Retry-After when the
 * server gave one, else exponential backoff with jitter; never above the cap.
 */
function retryDelayMs(retry, retryAfter, now, random, timings) {
    const asked = parseRetryAfter(retryAfter, now);
    if (asked !== undefined)
        return Math.min(asked, timings.maxDelayMs);
    const exponential = timings.backoffBaseMs * 2 ** (retry - 1);
    return Math.round(Math.min(exponential * (0.5 + random / 2), timings.maxDelayMs));
}
function oneLine(text) {
    const flat = text
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
    return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}

;// CONCATENATED MODULE: ./src/upload.ts



/** Uploads one video, retrying only while DraftClip certainly has not taken it. */
async function uploadVideo(video, ctx) {
    const now = ctx.now ?? Date.now;
    const fields = { description: video.description, privacy_level: video.privacyLevel };
    if (video.title !== undefined)
        fields.title = video.title;
    for (let attempt = 1;; attempt++) {
        const stop = ctx.stopped();
        if (stop)
            return { kind: 'stopped', reason: stop };
        const progress = progressTracker(video.size, now);
        const result = await ctx.client.upload({
            path: video.path,
            name: video.name,
            size: video.size,
            contentType: video.contentType,
            fields,
            onProgress: sent => {
                const line = progress(sent);
                if (line)
                    ctx.log(line);
            }
        });
        const verdict = judgeUpload(result);
        if (verdict.kind !== 'retry')
            return verdict;
        if (attempt > ctx.retries) {
            const reason = `${verdict.reason}; gave up after ${attempt} attempt${attempt === 1 ? '' : 's'}`;
            return verdict.rateLimited ? { kind: 'rate-limited', reason } : { kind: 'rejected', reason };
        }
        const delay = retryDelayMs(attempt, verdict.retryAfter, now(), (ctx.random ?? Math.random)(), ctx.timings);
        ctx.warn(`${verdict.reason}; DraftClip did not take it, so attempt ${attempt + 1} of ${ctx.retries + 1} starts in ${(delay / 1000).toFixed(1)} s`);
        await (0,promises_.setTimeout)(delay);
    }
}

;// CONCATENATED MODULE: ./src/wait.ts


/**
 * Polls a video's status until it is complete. Failed polls are retried at
 * the same pace until the timeout; a published video is polled on until its
 * post id appears, since TikTok often gives it a few polls later.
 */
async function waitForVideo(publishId, ctx) {
    const now = ctx.now ?? Date.now;
    const deadline = now() + ctx.timeoutMs;
    let last;
    let lastProblem;
    let polls = 0;
    for (;;) {
        const left = deadline - now();
        if (left <= 0)
            return { kind: 'timeout', status: last, lastProblem };
        await (0,promises_.setTimeout)(Math.min(ctx.intervalMs, left));
        const stop = ctx.stopped();
        if (stop)
            return { kind: 'stopped', reason: stop, status: last };
        polls++;
        const verdict = judgeStatus(await ctx.client.status(publishId));
        if (verdict.kind === 'unauthorized')
            return { kind: 'unauthorized', reason: verdict.reason, status: last };
        if (verdict.kind === 'transient') {
            lastProblem = verdict.reason;
            ctx.log(`status request ${polls} failed (${verdict.reason}); asking again`);
            continue;
        }
        const status = verdict.status;
        lastProblem = undefined;
        if (status.status !== last?.status || status.postId !== last?.postId) {
            ctx.log(`${status.status}${status.postId ? `, post ID ${status.postId}` : ''}${status.failReason ? `: ${status.failReason}` : ''}`);
            last = status;
            await ctx.onStatus(status);
        }
        if (status.isComplete && (status.status !== 'PUBLISH_COMPLETE' || status.postId))
            return { kind: 'complete', status };
    }
}

;// CONCATENATED MODULE: ./src/publish.ts




/** Statuses of our own, beside DraftClip's (PROCESSING_UPLOAD, PROCESSING, PUBLISH_COMPLETE, FAILED, SEND_TO_USER_INBOX). */
const Status = {
    NotAttempted: 'NOT_ATTEMPTED',
    UploadFailed: 'UPLOAD_FAILED',
    Unconfirmed: UNCONFIRMED,
    Skipped: 'SKIPPED',
    DryRun: 'DRY_RUN',
    Failed: 'FAILED'
};
function initialResults(videos, hashes) {
    return videos.map(v => ({
        file: v.file,
        size: v.size,
        publish_id: null,
        status: Status.NotAttempted,
        post_id: null,
        error: null,
        fail_reason: null,
        description: v.description,
        privacy_level: v.privacyLevel,
        sha256: hashes?.get(v.path) ?? null
    }));
}
/** The statuses after which the step fails. */
const FAILING = [Status.NotAttempted, Status.UploadFailed, Status.Unconfirmed, Status.Failed];
/** The reason the step fails, or undefined when every video ended well (a wait timeout is not a failure). */
function stepFailure(results, stopReason) {
    const failed = results.filter(r => FAILING.includes(r.status));
    if (failed.length === 0 && !stopReason)
        return undefined;
    const lines = failed.map(r => `${r.file}: ${r.status}${r.error ? ` - ${r.error}` : ''}`);
    const head = stopReason ?? `${failed.length} of ${results.length} video${results.length === 1 ? '' : 's'} did not publish`;
    return [head, ...lines.map(l => `  - ${l}`)].join('\n');
}
/**
 * Publishes the videos: at most `concurrency` uploads at once, each started
 * video polled while others upload. `results` is filled in place as things
 * happen, so that whatever was learned survives a failure part way.
 * Returns why the run stopped early, if it did.
 */
async function publishAll(videos, results, deps) {
    // A refused key stops everything; a spent quota stops uploads only (status requests are not publishes).
    let uploadsHalted;
    let pollsHalted;
    const cancelled = () => (deps.cancel?.aborted ? 'the job was cancelled' : undefined);
    const uploadsStopped = () => uploadsHalted ?? cancelled();
    const pollsStopped = () => pollsHalted ?? cancelled();
    const refusedKey = (message) => {
        uploadsHalted ??= message;
        pollsHalted ??= message;
    };
    const slots = semaphore(deps.inputs.concurrency);
    const claimed = new Map();
    /** Polls an uploaded video until it is complete, keeping result and ledger current. */
    const follow = async (publishId, result, log, remember) => {
        const waited = await waitForVideo(publishId, {
            client: deps.client,
            timeoutMs: deps.inputs.waitTimeoutMs,
            intervalMs: deps.inputs.pollIntervalMs,
            log: line => log.info(line),
            stopped: pollsStopped,
            onStatus: async (status) => {
                Object.assign(result, { status: status.status, post_id: status.postId ?? null, fail_reason: status.failReason ?? null });
                await remember();
            }
        });
        switch (waited.kind) {
            case 'complete':
                if (waited.status.status === 'FAILED') {
                    result.error = `TikTok could not publish it: ${waited.status.failReason ?? 'no reason given'}`;
                    log.warn(result.error);
                }
                break;
            case 'timeout': {
                const seen = waited.status ? `its last status was ${waited.status.status}` : 'no status was read';
                const problem = waited.lastProblem ? ` (the last status request failed: ${waited.lastProblem})` : '';
                log.warn(`still not complete after ${Math.round(deps.inputs.waitTimeoutMs / 1000)} s: ${seen}${problem}. It was uploaded (publish ID ${publishId}); TikTok may still publish it.`);
                break;
            }
            case 'unauthorized':
                refusedKey(`DraftClip refused the API key while polling (${waited.reason}). Check the secret passed as 'api-key'.`);
                break;
            case 'stopped':
                break;
        }
    };
    const publishOne = async (video, result) => {
        const log = deps.logFor(video);
        const hash = deps.hashes?.get(video.path);
        const ledger = deps.ledger && hash ? { ledger: deps.ledger, hash } : undefined;
        const remember = async (status = result.status) => {
            if (!ledger)
                return;
            await ledger.ledger.record(ledger.hash, {
                file: result.file,
                status,
                publish_id: result.publish_id,
                post_id: result.post_id,
                fail_reason: result.fail_reason
            });
        };
        if (ledger) {
            const twin = claimed.get(ledger.hash);
            if (twin) {
                result.status = Status.Skipped;
                log.info(`same content as ${twin.file}, which this run publishes; skipped so TikTok does not get it twice`);
                // Its ids are the twin's, known once the twin is done.
                await twin.done.catch(() => undefined);
                Object.assign(result, { publish_id: twin.result.publish_id, post_id: twin.result.post_id });
                return log.done(result);
            }
            let finished;
            claimed.set(ledger.hash, { file: video.file, result, done: new Promise(resolve => (finished = resolve)) });
            try {
                return await publishUnclaimed(video, result, log, ledger, remember);
            }
            finally {
                finished();
            }
        }
        return publishUnclaimed(video, result, log, undefined, remember);
    };
    const publishUnclaimed = async (video, result, log, ledger, remember) => {
        if (ledger) {
            const decision = decide(ledger.ledger.get(ledger.hash));
            if (decision.action === 'skip') {
                const { entry } = decision;
                Object.assign(result, {
                    status: Status.Skipped,
                    publish_id: entry.publish_id,
                    post_id: entry.post_id,
                    fail_reason: entry.fail_reason ?? null
                });
                log.info(`already published (ledger: ${entry.status}, publish ID ${entry.publish_id}); not uploaded again`);
                // An earlier run left it processing (wait off, or a timeout): learn how it ended, without uploading.
                if (deps.inputs.wait && entry.publish_id && !isSettled(entry.status, entry.post_id)) {
                    const seen = { ...result };
                    await follow(entry.publish_id, seen, log, async () => {
                        await ledger.ledger.record(ledger.hash, { ...entry, status: seen.status, post_id: seen.post_id, fail_reason: seen.fail_reason });
                    });
                    Object.assign(result, { post_id: seen.post_id, fail_reason: seen.fail_reason, error: seen.error });
                    if (seen.status === Status.Failed) {
                        // Not a skip after all: the video is not on TikTok, and the step must say so.
                        result.status = Status.Failed;
                        result.error = `the upload an earlier run made (publish ID ${entry.publish_id}) ended FAILED: ${seen.fail_reason ?? 'no reason given'}; the next run will publish it again`;
                        log.warn(result.error);
                    }
                }
                return log.done(result);
            }
            if (decision.action === 'unconfirmed') {
                result.status = Status.Unconfirmed;
                result.error =
                    `an earlier run (${decision.entry.updated_at}) started uploading this video and never learned whether DraftClip took it, so it was not uploaded again. ` +
                        releaseHint(deps.ledger.shownAs, ledger.hash);
                log.warn(result.error);
                return log.done(result);
            }
        }
        let outcome;
        await slots.acquire();
        try {
            const stop = uploadsStopped();
            if (stop) {
                outcome = { kind: 'stopped', reason: stop };
            }
            else {
                log.info(`uploading (${(0,src_videos/* megabytes */.ix)(video.size)}, ${video.privacyLevel}${video.sidecar ? `, settings from ${video.sidecar}` : ''})`);
                // Written before the first byte leaves: a runner killed mid-upload leaves a trace.
                await remember(UPLOADING);
                result.status = UPLOADING;
                outcome = await uploadVideo(video, {
                    client: deps.client,
                    retries: deps.inputs.retries,
                    timings: deps.inputs.timings,
                    log: line => log.info(line),
                    warn: line => log.warn(line),
                    stopped: uploadsStopped
                });
            }
        }
        finally {
            slots.release();
        }
        switch (outcome.kind) {
            case 'accepted':
                Object.assign(result, { publish_id: outcome.publishId, status: outcome.status });
                await remember();
                log.info(`uploaded: publish ID ${outcome.publishId}`);
                break;
            case 'unconfirmed':
                result.status = Status.Unconfirmed;
                result.publish_id = outcome.publishId ?? null;
                result.error =
                    `${outcome.reason}. DraftClip may have published it, so it was not sent again. ` +
                        `Check the TikTok account (and DraftClip's dashboard) before publishing it again` +
                        (ledger ? `; ${releaseHint(deps.ledger.shownAs, ledger.hash)}` : '.');
                await remember();
                log.warn(result.error);
                return log.done(result);
            case 'stopped':
                result.status = Status.NotAttempted;
                result.error = `not attempted: ${outcome.reason}`;
                // Every attempt so far was certainly refused: nothing stands in the way of a later run.
                if (ledger && ledger.ledger.get(ledger.hash)?.status === UPLOADING)
                    await ledger.ledger.forget(ledger.hash);
                return log.done(result);
            default:
                result.status = Status.UploadFailed;
                result.error = outcome.reason;
                // DraftClip certainly did not take it: a later run may try again.
                if (ledger)
                    await ledger.ledger.forget(ledger.hash);
                if (outcome.kind === 'unauthorized') {
                    refusedKey(`DraftClip refused the API key (${outcome.reason}). Check the secret passed as 'api-key': it must be a current key from your DraftClip dashboard.`);
                }
                else if (outcome.kind === 'rate-limited') {
                    uploadsHalted ??= `DraftClip's quota is used up (${outcome.reason}); the remaining videos were not sent. TikTok allows about 15 posts a day per account.`;
                }
                log.warn(result.error);
                return log.done(result);
        }
        if (deps.inputs.wait)
            await follow(outcome.publishId, result, log, remember);
        log.done(result);
    };
    const tasks = videos.map((video, i) => publishOne(video, results[i]).catch((error) => {
        // An unexpected failure (the ledger could not be written: a full disk) must not turn
        // "may be on TikTok" into "certainly not": only a video never sent is UPLOAD_FAILED.
        const result = results[i];
        const mayBeTaken = result.publish_id !== null || result.status === UPLOADING || result.status === Status.Unconfirmed;
        if (!mayBeTaken)
            result.status = Status.UploadFailed;
        else if (result.status === UPLOADING)
            result.status = Status.Unconfirmed;
        result.error = [result.error, error.message].filter(Boolean).join('; ');
        throw error;
    }));
    const settled = await Promise.allSettled(tasks);
    const crash = settled.find(s => s.status === 'rejected');
    if (crash)
        throw crash.reason;
    return uploadsHalted ?? cancelled();
}
/** A ledger status after which there is nothing more to learn. */
function isSettled(status, postId) {
    return status === 'SEND_TO_USER_INBOX' || status === Status.Failed || (status === 'PUBLISH_COMPLETE' && postId !== null);
}
function semaphore(size) {
    let free = size;
    const waiting = [];
    return {
        acquire: async () => {
            if (free > 0) {
                free--;
                return;
            }
            await new Promise(resolve => waiting.push(resolve));
        },
        release: () => {
            const next = waiting.shift();
            if (next)
                next();
            else
                free++;
        }
    };
}

;// CONCATENATED MODULE: ./src/secret.ts
/**
 * The API key must never leave the process except in the Authorization header.
 * core.setSecret masks it in the log; scrub() guards everything we write
 * ourselves (outputs, summary, ledger, error messages from libraries).
 */
function scrub(text, secrets) {
    let out = text;
    // Longest first, so a secret containing another is hidden whole.
    for (const secret of [...secrets].sort((a, b) => (b?.length ?? 0) - (a?.length ?? 0))) {
        if (secret && secret.length >= 4)
            out = out.split(secret).join('***');
    }
    return out;
}

;// CONCATENATED MODULE: ./src/report.ts





/** Every output of action.yml, named once. */
const Output = {
    PublishIds: 'publish-ids',
    PostIds: 'post-ids',
    Results: 'results',
    PublishId: 'publish-id',
    PostId: 'post-id'
};
function buildOutputs(results) {
    const publishIds = results.map(r => r.publish_id).filter((id) => id !== null);
    const postIds = results.map(r => r.post_id).filter((id) => id !== null);
    return {
        [Output.PublishIds]: JSON.stringify(publishIds),
        [Output.PostIds]: JSON.stringify(postIds),
        [Output.Results]: JSON.stringify(results),
        [Output.PublishId]: publishIds[0] ?? '',
        [Output.PostId]: postIds[0] ?? ''
    };
}
/** Results with every text scrubbed before it is escaped into JSON or Markdown (where a key could hide). */
function scrubResults(results, secrets) {
    return results.map(r => {
        const clean = { ...r };
        for (const [key, value] of Object.entries(clean))
            if (typeof value === 'string')
                clean[key] = scrub(value, secrets);
        return clean;
    });
}
function setOutputs(results, secrets) {
    for (const [name, value] of Object.entries(buildOutputs(scrubResults(results, secrets))))
        core/* setOutput */.uH(name, scrub(value, secrets));
}
const MARKS = {
    PUBLISH_COMPLETE: '✅',
    SEND_TO_USER_INBOX: '📥',
    PROCESSING_UPLOAD: '⏳',
    PROCESSING: '⏳',
    UPLOADING: '⏳',
    [Status.Skipped]: '⏭️',
    [Status.DryRun]: '📝',
    [Status.Failed]: '❌',
    [Status.UploadFailed]: '❌',
    [Status.Unconfirmed]: '⚠️',
    [Status.NotAttempted]: '⛔'
};
function cell(text) {
    return text.replace(/\|/g, '\\|').replace(/\r\n|\r|\n/g, ' ');
}
/** The job summary as Markdown: a heading, one row a video with a status mark, and the totals. */
function summaryMarkdown(results, options) {
    const lines = [];
    lines.push(options.dryRun ? '## DraftClip publish plan (dry run: nothing was sent)' : '## Published to TikTok with DraftClip', '');
    if (results.length === 0) {
        lines.push('No videos matched the patterns.');
        return lines.join('\n') + '\n';
    }
    if (options.dryRun) {
        lines.push('| | File | Size | Privacy | Caption as it will be sent | Ledger |', '|---|---|---|---|---|---|');
        for (const r of results) {
            const ledger = r.publish_id ? `skip: already published (${cell(r.publish_id)})` : r.error ? cell(r.error) : 'upload';
            lines.push(`| ${MARKS[r.status] ?? ''} | ${cell(r.file)} | ${(0,src_videos/* megabytes */.ix)(r.size)} | ${cell(r.privacy_level)} | ${cell(r.description)} | ${ledger} |`);
        }
    }
    else {
        lines.push('| | File | Size | Status | Publish ID | Post | Error |', '|---|---|---|---|---|---|---|');
        for (const r of results) {
            const post = r.post_id ? `[${cell(r.post_id)}](${(0,draftclip/* postUrl */.KI)(r.post_id)})` : '';
            const error = r.error ?? (r.fail_reason ? r.fail_reason : '');
            lines.push(`| ${MARKS[r.status] ?? ''} | ${cell(r.file)} | ${(0,src_videos/* megabytes */.ix)(r.size)} | ${cell(r.status)} | ${cell(r.publish_id ?? '')} | ${post} | ${cell(error)} |`);
        }
    }
    const counts = new Map();
    for (const r of results)
        counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
    const total = results.reduce((sum, r) => sum + r.size, 0);
    lines.push('', `**${results.length} video${results.length === 1 ? '' : 's'}, ${(0,src_videos/* megabytes */.ix)(total)}:** ` +
        [...counts].map(([status, n]) => `${n} ${status}`).join(', '));
    if (options.stopReason)
        lines.push('', `> [!WARNING]\n> ${cell(options.stopReason)}`);
    return lines.join('\n') + '\n';
}
async function writeSummary(results, options, secrets) {
    // Outside a runner (no GITHUB_STEP_SUMMARY) there is nowhere to write it.
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    const stopReason = options.stopReason && scrub(options.stopReason, secrets);
    const markdown = summaryMarkdown(scrubResults(results, secrets), { ...options, stopReason });
    await core/* summary */.z.addRaw(scrub(markdown, secrets)).write();
}
/** Failures as annotations on the files, so they show on the run's page. */
function annotate(results, secrets) {
    for (const r of results) {
        if (r.status === Status.Unconfirmed || r.status === Status.Failed || r.status === Status.UploadFailed) {
            core/* error */.z3(scrub(`${r.file}: ${r.status}: ${r.error ?? r.fail_reason ?? ''}`, secrets), {
                file: r.file,
                title: `DraftClip: ${r.status}`
            });
        }
    }
}

;// CONCATENATED MODULE: ./src/workflow.ts
/** {repo}, {sha}, {ref}, {tag}, {run_url} from the workflow run; a value that is not known is left out. */
function runVars(ctx) {
    const vars = {};
    if (ctx.repository) {
        vars.repo = ctx.repository;
        if (ctx.runId)
            vars.run_url = `${ctx.serverUrl}/${ctx.repository}/actions/runs/${ctx.runId}`;
    }
    if (ctx.sha)
        vars.sha = ctx.sha.slice(0, 7);
    if (ctx.ref)
        vars.ref = ctx.ref.replace(/^refs\/(heads|tags)\//, '');
    const tag = ctx.payload.release?.tag_name ?? (ctx.ref.startsWith('refs/tags/') ? ctx.ref.slice('refs/tags/'.length) : undefined);
    if (tag)
        vars.tag = tag;
    return vars;
}
/**
 * Loads @actions/github only when a caption needs it: it brings Octokit,
 * which would otherwise double the action's start-up time.
 */
async function loadRunContext(env) {
    const { context } = await __webpack_require__.e(/* import() */ 413).then(__webpack_require__.bind(__webpack_require__, 2413));
    return {
        repository: env.GITHUB_REPOSITORY || undefined,
        sha: context.sha ?? '',
        ref: context.ref ?? '',
        payload: (context.payload ?? {}),
        serverUrl: context.serverUrl,
        runId: context.runId
    };
}

;// CONCATENATED MODULE: ./src/main.ts










/**
 * The action: inputs -> videos -> (ledger) -> publish -> report. The one
 * place that fails the step; outputs and the summary are written whatever
 * happens, with whatever was learned.
 */
async function run(env = process.env) {
    // Masked before anything else can print it.
    const apiKey = (0,src_inputs/* readInput */.R5)(env, src_inputs/* Input */.pd.ApiKey);
    if (apiKey)
        core/* setSecret */.Pq(apiKey);
    const secrets = [apiKey];
    let results = [];
    let stopReason;
    let dryRun = false;
    let finished = false;
    /** Outputs, annotations and the summary, once, with whatever is known by then. */
    const finish = async () => {
        if (finished)
            return;
        finished = true;
        setOutputs(results, secrets);
        annotate(results, secrets);
        try {
            await writeSummary(results, { dryRun, stopReason }, secrets);
        }
        catch (error) {
            core/* warning */.$e(`Could not write the job summary: ${scrub(error.message, secrets)}`);
        }
    };
    let ledger;
    const cancel = new AbortController();
    // A cancelled job gets SIGINT, then SIGTERM 7.5 s later: start nothing new, let the ledger
    // finish the writes under way (a publish id may be in one), then leave the outputs behind.
    const onSignal = (signal) => {
        cancel.abort();
        stopReason = `The job was cancelled (${signal}).`;
        core/* error */.z3(`${stopReason} The outputs hold what was learned so far.`);
        const settled = Promise.race([ledger?.idle(), (0,promises_.setTimeout)(5000, undefined, { ref: false })]);
        void settled
            .then(() => {
            for (const r of results) {
                if (r.status !== UPLOADING)
                    continue;
                r.status = Status.Unconfirmed;
                r.error =
                    'the job was cancelled during its upload; DraftClip may or may not have taken it. Check the TikTok account before publishing it again.' +
                        (ledger && r.sha256 ? ` ${releaseHint(ledger.shownAs, r.sha256)}` : '');
            }
            return finish();
        })
            .finally(() => process.exit(1));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
        const inputs = (0,src_inputs/* parseInputs */.TL)(env);
        dryRun = inputs.dryRun;
        if (!(0,src_inputs/* isLoopback */.U9)(inputs.baseUrl) && inputs.pollIntervalMs < 1000) {
            core/* warning */.$e(`'${src_inputs/* Input */.pd.PollInterval}' under 1 s polls DraftClip very often; its doc asks clients to be gentle (it uses 5 s).`);
        }
        const paths = await (0,src_videos/* findVideoPaths */.ng)(inputs.patterns, inputs.workspace);
        const videos = await (0,src_videos/* checkVideos */.nU)(paths, inputs, async () => runVars(await loadRunContext(env)), line => core/* info */.pq(line));
        if (videos.length === 0)
            return noVideos(inputs);
        core/* info */.pq(`${videos.length} video${videos.length === 1 ? '' : 's'} to publish: ${videos.map(v => v.file).join(', ')}`);
        let hashes;
        if (inputs.ledger) {
            ledger = await Ledger.load(inputs.ledger, (0,src_videos/* workspacePath */.X5)(inputs.ledger, inputs.workspace));
            hashes = new Map();
            for (const video of videos)
                hashes.set(video.path, await hashFile(video.path, video.size));
        }
        results = initialResults(videos, hashes);
        if (dryRun)
            return plan(results, ledger);
        const client = new draftclip/* DraftClipClient */.DD({
            baseUrl: inputs.baseUrl,
            apiKey: inputs.apiKey,
            connectMs: inputs.timings.connectMs,
            responseMs: inputs.responseTimeoutMs,
            stallMs: inputs.timings.stallMs,
            useProxy: ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some(v => env[v])
        });
        try {
            stopReason = await publishAll(videos, results, {
                client,
                ledger,
                hashes,
                inputs,
                cancel: cancel.signal,
                logFor: video => videoLog(video, secrets)
            });
        }
        finally {
            await client.close();
        }
        if (inputs.releaseNotes)
            await linkRelease(inputs, results, env, secrets);
        const failure = stepFailure(results, stopReason);
        if (failure)
            core/* setFailed */.C1(scrub(failure, secrets));
    }
    catch (error) {
        core/* setFailed */.C1(scrub(failureMessage(error), secrets));
        if (error instanceof src_videos/* VideoCheckError */.gG) {
            for (const p of error.problems)
                core/* error */.z3(scrub(p.problem, secrets), { file: p.file, title: 'DraftClip: cannot publish' });
        }
    }
    finally {
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
        await finish();
    }
}
function noVideos(inputs) {
    const message = `No videos matched ${inputs.patterns.map(p => `'${p}'`).join(', ')} in ${inputs.workspace}.`;
    if (inputs.ifNoFilesFound === 'error')
        core/* setFailed */.C1(`${message} (Set '${src_inputs/* Input */.pd.IfNoFilesFound}' to warn or ignore if that can be normal.)`);
    else if (inputs.ifNoFilesFound === 'warn')
        core/* warning */.$e(message);
    else
        core/* info */.pq(message);
}
function plan(results, ledger) {
    for (const r of results) {
        const decision = ledger && r.sha256 ? decide(ledger.get(r.sha256)) : { action: 'upload' };
        r.status = Status.DryRun;
        if (decision.action === 'skip')
            Object.assign(r, { publish_id: decision.entry.publish_id, post_id: decision.entry.post_id });
        if (decision.action === 'unconfirmed')
            r.error = `would not upload: an earlier run's upload is unconfirmed (${decision.entry.updated_at})`;
        const verb = decision.action === 'upload'
            ? 'would upload'
            : decision.action === 'skip'
                ? 'would skip (already published)'
                : 'would not upload (unconfirmed)';
        core/* info */.pq(`${r.file}: ${verb}, ${(0,src_videos/* megabytes */.ix)(r.size)}, ${r.privacy_level}, caption: ${JSON.stringify(r.description)}`);
    }
    core/* info */.pq('Dry run: nothing was sent to DraftClip.');
}
async function linkRelease(inputs, results, env, secrets) {
    const { updateReleaseNotes } = await __webpack_require__.e(/* import() */ 870).then(__webpack_require__.bind(__webpack_require__, 4870));
    try {
        const said = await updateReleaseNotes(inputs.githubToken, results, env);
        core/* info */.pq(said);
    }
    catch (error) {
        core/* warning */.$e(`Could not update the release notes: ${scrub(error.message, secrets)}`);
    }
}
/** Lines for one video: shown live, then kept in a log group once the video is done. */
function videoLog(video, secrets) {
    const lines = [];
    const started = Date.now();
    const keep = (line) => {
        const clean = scrub(line, secrets);
        lines.push(`[+${((Date.now() - started) / 1000).toFixed(1)}s] ${clean}`);
        return `${video.file}: ${clean}`;
    };
    return {
        info: line => core/* info */.pq(keep(line)),
        warn: line => core/* warning */.$e(keep(line), { file: video.file }),
        done: result => {
            core/* startGroup */.Oh(`${video.file}: ${result.status}${result.publish_id ? ` (${result.publish_id})` : ''}`);
            for (const line of lines)
                core/* info */.pq(line);
            core/* endGroup */.N4();
        }
    };
}
function failureMessage(error) {
    return error instanceof Error ? error.message : String(error);
}


/***/ }),

/***/ 8100:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  gG: () => (/* binding */ VideoCheckError),
  nU: () => (/* binding */ checkVideos),
  ng: () => (/* binding */ findVideoPaths),
  ix: () => (/* binding */ megabytes),
  zO: () => (/* binding */ readChunks),
  X5: () => (/* binding */ workspacePath)
});

// UNUSED EXPORTS: MAX_VIDEO_BYTES, fileProblems

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/@actions/glob/lib/glob.js + 17 modules
var glob = __webpack_require__(2377);
;// CONCATENATED MODULE: ./src/captions.ts
/** TikTok counts a caption in UTF-16 code units: an emoji outside the BMP counts 2. */
const MAX_CAPTION_UNITS = 2200;
const RUN_PLACEHOLDERS = ['repo', 'sha', 'ref', 'tag', 'run_url'];
const PLACEHOLDER = /\{([a-z_]+)\}/g;
/** Fills {name}, {stem}, {index}, {count} and run placeholders; anything else in braces stays as written. */
function fillCaption(template, video, run = {}) {
    const values = {
        name: video.name,
        stem: video.stem,
        index: String(video.index),
        count: String(video.count),
        ...run
    };
    return template.replace(PLACEHOLDER, (whole, key) => (Object.hasOwn(values, key) ? (values[key] ?? whole) : whole));
}
/** Whether a template needs the workflow context (loading it costs start-up time). */
function usesRunPlaceholders(template) {
    return [...template.matchAll(PLACEHOLDER)].some(m => RUN_PLACEHOLDERS.includes(m[1]));
}
/** The problem with a caption, or undefined when TikTok will take it. */
function captionProblem(caption) {
    if (caption.trim() === '')
        return 'the caption is empty';
    if (caption.length > MAX_CAPTION_UNITS) {
        return `the caption is ${caption.length} UTF-16 code units long; TikTok allows ${MAX_CAPTION_UNITS} (an emoji counts 2)`;
    }
    return undefined;
}

// EXTERNAL MODULE: ./src/inputs.ts
var inputs = __webpack_require__(8422);
;// CONCATENATED MODULE: ./src/sidecar.ts

/**
 * Per-video settings live beside the video in `<video file name>.draftclip.json`,
 * e.g. `trailer.mp4.draftclip.json`: the full video name plus a suffix no other
 * tool uses, so it cannot be mistaken for an unrelated file nor shared by
 * `trailer.mp4` and `trailer.mov`.
 */
const SIDECAR_SUFFIX = '.draftclip.json';
const KEYS = ['description', 'privacy_level', 'title'];
function sidecarPathFor(videoPath) {
    return videoPath + SIDECAR_SUFFIX;
}
function isSidecar(file) {
    // Exact case, as it is read: a sidecar spelled otherwise is matched as a file and reported, not silently ignored.
    return file.endsWith(SIDECAR_SUFFIX);
}
/** Parses a sidecar's text; problems read "line N: what is wrong". */
function parseSidecar(text) {
    if (text.trim() === '')
        return { sidecar: {}, problems: ['line 1: the file is empty; write a JSON object such as {"description": "..."}'] };
    let data;
    try {
        data = JSON.parse(text.replace(/^\uFEFF/, ''));
    }
    catch (error) {
        const message = error.message;
        return { sidecar: {}, problems: [`line ${lineAt(text, jsonErrorOffset(text))}: not valid JSON (${message})`] };
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
        return { sidecar: {}, problems: ['line 1: must be a JSON object such as {"description": "..."}'] };
    }
    const problems = [];
    const sidecar = {};
    for (const [key, value] of Object.entries(data)) {
        const at = `line ${keyLine(text, key)}`;
        if (!KEYS.includes(key)) {
            problems.push(`${at}: unknown key '${key}' (allowed: ${KEYS.join(', ')})`);
        }
        else if (typeof value !== 'string') {
            problems.push(`${at}: '${key}' must be a string`);
        }
        else if (key === 'privacy_level') {
            const level = value.trim().toUpperCase();
            if (inputs/* PRIVACY_LEVELS */.Tu.includes(level))
                sidecar.privacy_level = level;
            else
                problems.push(`${at}: privacy_level must be one of ${inputs/* PRIVACY_LEVELS */.Tu.join(', ')}, got '${value}'`);
        }
        else {
            sidecar[key] = value;
        }
    }
    return { sidecar, problems };
}
/** The 1-based line of a key in the JSON text (its first occurrence as a key). */
function keyLine(text, key) {
    const at = text.search(new RegExp(`"${escapeRegExp(JSON.stringify(key).slice(1, -1))}"\\s*:`));
    return at < 0 ? 1 : lineAt(text, at);
}
/**
 * Where JSON text first goes wrong. V8's messages do not say on every Node
 * version (Node 20 quotes an excerpt, no position), so this walks the grammar.
 */
function jsonErrorOffset(text) {
    let i = 0;
    const space = () => {
        while (i < text.length && ' \t\r\n\uFEFF'.includes(text[i]))
            i++;
    };
    class Stop extends Error {
        at;
        constructor(at) {
            super(`invalid JSON at ${at}`);
            this.at = at;
        }
    }
    const fail = () => {
        throw new Stop(i);
    };
    const literal = (word) => {
        if (text.startsWith(word, i))
            i += word.length;
        else
            fail();
    };
    const string = () => {
        i++;
        while (i < text.length && text[i] !== '"') {
            if (text.charCodeAt(i) < 0x20)
                fail();
            if (text[i] === '\\') {
                i++;
                if (text[i] === 'u') {
                    if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5)))
                        fail();
                    i += 4;
                }
                else if (!'"\\/bfnrt'.includes(text[i] ?? 'x'))
                    fail();
            }
            i++;
        }
        if (text[i] !== '"')
            fail();
        i++;
    };
    const value = () => {
        space();
        const c = text[i];
        if (c === '{' || c === '[') {
            const close = c === '{' ? '}' : ']';
            i++;
            space();
            if (text[i] === close)
                return void i++;
            for (;;) {
                if (c === '{') {
                    space();
                    if (text[i] !== '"')
                        fail();
                    string();
                    space();
                    if (text[i] !== ':')
                        fail();
                    i++;
                }
                value();
                space();
                if (text[i] === ',')
                    i++;
                else if (text[i] === close)
                    return void i++;
                else
                    fail();
            }
        }
        if (c === '"')
            return string();
        if (c === 't')
            return literal('true');
        if (c === 'f')
            return literal('false');
        if (c === 'n')
            return literal('null');
        const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
        if (!number)
            fail();
        i += number[0].length;
    };
    try {
        value();
        space();
        if (i < text.length)
            fail();
    }
    catch (stop) {
        if (stop instanceof Stop)
            return Math.min(stop.at, text.length);
        throw stop;
    }
    return text.length;
}
function lineAt(text, offset) {
    return text.slice(0, offset).split('\n').length;
}
function escapeRegExp(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

;// CONCATENATED MODULE: ./src/videos.ts





/** DraftClip's limit, "500MB", in PHP's units (upload_max_filesize=500M). */
const MAX_VIDEO_BYTES = 500 * 1024 * 1024;
const CONTENT_TYPES = {
    '.mp4': 'video/mp4',
    '.mov': 'video/quicktime',
    '.avi': 'video/x-msvideo'
};
class VideoCheckError extends Error {
    problems;
    constructor(problems) {
        const files = new Set(problems.map(p => p.file)).size;
        super(`${files} file${files === 1 ? '' : 's'} cannot be published, so nothing was uploaded:\n` +
            problems.map(p => `  - ${p.file}: ${p.problem}`).join('\n'));
        this.problems = problems;
        this.name = 'VideoCheckError';
    }
}
/** Matches the patterns against the workspace: absolute paths, de-duplicated, sorted. */
async function findVideoPaths(patterns, workspace) {
    const anchored = patterns.map(p => {
        const negated = p.startsWith('!');
        const bare = negated ? p.slice(1) : p;
        const absolute = external_node_path_.isAbsolute(bare) || bare.startsWith('~') ? bare : external_node_path_.join(escapeGlob(workspace), bare);
        return (negated ? '!' : '') + absolute;
    });
    // Symbolic links are not followed while walking (a loop cannot hang the search);
    // a matched link is resolved and checked like any file below. A folder matched
    // by `videos/*` is not entered: publishing is not undone, so only what a
    // pattern names is published (`videos/**` for everything below).
    const globber = await glob/* create */.v(anchored.join('\n'), {
        followSymbolicLinks: false,
        matchDirectories: true,
        implicitDescendants: false
    });
    const matches = new Set();
    for await (const match of globber.globGenerator()) {
        if (!isSidecar(match))
            matches.add(match);
    }
    // Plain UTF-16 order, the same on every machine whatever its locale.
    return [...matches].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
/** A path as logs and outputs show it: relative to the workspace, forward slashes; absolute when outside it. */
function workspacePath(file, workspace) {
    const relative = external_node_path_.relative(workspace, file);
    return relative === '' || relative.startsWith('..') || external_node_path_.isAbsolute(relative) ? file : relative.split(external_node_path_.sep).join('/');
}
/** A literal path inside a pattern: @actions/glob reads `*`, `?` and `[` as wildcards unless wrapped in brackets. */
function escapeGlob(literal) {
    return literal.replace(/[*?[]/g, c => `[${c}]`);
}
/** What is wrong with a file as a DraftClip upload, judged from its name, size and first bytes. */
function fileProblems(name, size, head) {
    const ext = external_node_path_.extname(name).toLowerCase();
    if (!(ext in CONTENT_TYPES)) {
        return [`'${external_node_path_.extname(name) || '(no extension)'}' is not a video type DraftClip takes (.mp4, .mov, .avi)`];
    }
    if (size === 0)
        return ['the file is empty'];
    const problems = [];
    if (size > MAX_VIDEO_BYTES) {
        problems.push(`${megabytes(size)} is over DraftClip's limit of 500 MB (${MAX_VIDEO_BYTES.toLocaleString('en-US')} bytes)`);
    }
    const container = containerProblem(ext, head);
    if (container)
        problems.push(container);
    return problems;
}
function containerProblem(ext, head) {
    const at = (offset, text) => head.length >= offset + text.length && head.toString('latin1', offset, offset + text.length) === text;
    if (ext === '.avi') {
        return at(0, 'RIFF') && at(8, 'AVI ') ? undefined : "the content is not an AVI file (no 'RIFF....AVI ' header)";
    }
    if (at(4, 'ftyp'))
        return undefined;
    // QuickTime files written before ftyp existed open with one of these atoms.
    if (ext === '.mov' && ['moov', 'mdat', 'wide', 'free', 'skip', 'pnot'].some(atom => at(4, atom)))
        return undefined;
    return `the content is not ${ext === '.mov' ? 'a QuickTime/MOV' : 'an MP4'} file (no ISO-BMFF 'ftyp' box at the start)`;
}
/** Sizes as the log and the summary show them: megabytes (MiB), two decimals below one. */
function megabytes(bytes) {
    const mb = bytes / (1024 * 1024);
    return `${mb.toFixed(mb < 1 ? 2 : 1)} MB`;
}
const CHUNK_BYTES = 1024 * 1024;
const RING = 3;
/**
 * The file's bytes, read into a small ring of reused buffers: a fresh buffer
 * per read (as fs streams do) leaves tens of MB of garbage between collections.
 * Reuse is safe because undici asks for the next chunk only once the socket
 * has drained the previous one (a 1 MiB chunk is far over the socket's 16 KiB
 * high-water mark), so a buffer is long copied out when it comes round again.
 */
async function* readChunks(file, size) {
    const handle = await promises_.open(file, 'r');
    try {
        const ring = Array.from({ length: RING }, () => Buffer.allocUnsafe(CHUNK_BYTES));
        let total = 0;
        for (let n = 0; total < size; n++) {
            const buffer = ring[n % RING];
            const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK_BYTES, size - total), total);
            if (bytesRead === 0)
                throw new Error(`${file} shrank while it was being uploaded (${total} of ${size} bytes)`);
            total += bytesRead;
            yield { chunk: buffer.subarray(0, bytesRead), total };
        }
    }
    finally {
        await handle.close();
    }
}
async function readHead(file) {
    const handle = await promises_.open(file, 'r');
    try {
        const buffer = Buffer.alloc(12);
        const { bytesRead } = await handle.read(buffer, 0, 12, 0);
        return buffer.subarray(0, bytesRead);
    }
    finally {
        await handle.close();
    }
}
function statProblem(error) {
    switch (error.code) {
        case 'ELOOP':
            return 'it is a symbolic link loop';
        case 'ENOENT':
            return 'it is a broken symbolic link (its target does not exist)';
        case 'EACCES':
            return 'it cannot be read (permission denied)';
        default:
            return `it cannot be read (${error.code ?? error.message})`;
    }
}
/**
 * Checks every matched path and builds the list of videos to publish. All
 * problems of all files are collected and thrown together, so nothing is sent
 * when any one file is bad.
 */
async function checkVideos(paths, settings, loadRunVars, notice = () => undefined) {
    const problems = [];
    const relative = (p) => workspacePath(p, settings.workspace);
    const found = [];
    // The same file reached twice (a symbolic link beside its target) is one video.
    const seen = new Map();
    for (const file of paths) {
        const shown = relative(file);
        let stat;
        try {
            stat = await promises_.stat(file);
        }
        catch (error) {
            problems.push({ file: shown, problem: statProblem(error) });
            continue;
        }
        if (stat.isDirectory()) {
            // A folder matched by `videos/*` is just passed by; one named like a video is a mistake worth naming.
            if (external_node_path_.extname(file).toLowerCase() in CONTENT_TYPES) {
                problems.push({ file: shown, problem: 'it is a directory, not a video file' });
            }
            continue;
        }
        if (!stat.isFile()) {
            problems.push({ file: shown, problem: 'it is not a regular file' });
            continue;
        }
        const ownProblems = fileProblems(external_node_path_.basename(file), stat.size, stat.size > 0 ? await readHead(file) : Buffer.alloc(0));
        for (const problem of ownProblems)
            problems.push({ file: shown, problem });
        const identity = `${stat.dev}:${stat.ino}`;
        const first = seen.get(identity);
        if (first) {
            notice(`${shown} is the same file as ${first}; it is published once, as ${first}.`);
            continue;
        }
        seen.set(identity, shown);
        found.push({ path: file, size: stat.size });
    }
    const sidecars = new Map();
    const sidecarTexts = new Map();
    const listings = new Map();
    const listing = (dir) => {
        if (!listings.has(dir))
            listings.set(dir, promises_.readdir(dir).catch(() => []));
        return listings.get(dir);
    };
    for (const video of found) {
        const sidecarPath = sidecarPathFor(video.path);
        // A sidecar spelled in another case would be silently ignored on Linux: name it instead.
        const wanted = external_node_path_.basename(sidecarPath);
        for (const entry of await listing(external_node_path_.dirname(video.path))) {
            if (entry !== wanted && entry.toLowerCase() === wanted.toLowerCase()) {
                problems.push({ file: relative(external_node_path_.join(external_node_path_.dirname(video.path), entry)), problem: `a sidecar must be named exactly ${wanted}` });
            }
        }
        let text;
        try {
            text = await promises_.readFile(sidecarPath, 'utf8');
        }
        catch (error) {
            if (error.code === 'ENOENT')
                continue;
            problems.push({ file: relative(sidecarPath), problem: statProblem(error) });
            continue;
        }
        const parsed = parseSidecar(text);
        for (const problem of parsed.problems)
            problems.push({ file: relative(sidecarPath), problem });
        sidecars.set(video.path, parsed.sidecar);
        sidecarTexts.set(video.path, text);
    }
    const templates = [settings.description, settings.title, ...[...sidecars.values()].flatMap(s => [s.description, s.title])];
    const runVars = templates.some(t => t !== undefined && usesRunPlaceholders(t)) ? await loadRunVars() : {};
    const videos = found.map((video, i) => {
        const name = external_node_path_.basename(video.path);
        const vars = { name, stem: name.slice(0, name.length - external_node_path_.extname(name).length), index: i + 1, count: found.length };
        const sidecar = sidecars.get(video.path);
        const template = sidecar?.description ?? settings.description;
        const description = template === undefined ? '' : fillCaption(template, vars, runVars);
        const title = sidecar?.title ?? settings.title;
        if (template === undefined) {
            problems.push({
                file: relative(video.path),
                problem: `it has no caption: set the 'description' input, or "description" in ${name}.draftclip.json beside it`
            });
        }
        else {
            const problem = captionProblem(description);
            if (problem && sidecar?.description !== undefined) {
                const line = keyLine(sidecarTexts.get(video.path) ?? '', 'description');
                problems.push({ file: relative(sidecarPathFor(video.path)), problem: `line ${line}: ${problem}` });
            }
            else if (problem) {
                problems.push({ file: relative(video.path), problem });
            }
        }
        return {
            index: i + 1,
            path: video.path,
            file: relative(video.path),
            name,
            size: video.size,
            contentType: CONTENT_TYPES[external_node_path_.extname(name).toLowerCase()] ?? 'application/octet-stream',
            description,
            privacyLevel: sidecar?.privacy_level ?? settings.privacyLevel,
            title: title === undefined ? undefined : fillCaption(title, vars, runVars),
            sidecar: sidecar ? relative(sidecarPathFor(video.path)) : undefined
        };
    });
    if (problems.length > 0)
        throw new VideoCheckError(problems);
    return videos;
}


/***/ })

};

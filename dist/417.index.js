export const id = 417;
export const ids = [417];
export const modules = {

/***/ 6417:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GitHubRest: () => (/* binding */ GitHubRest),
/* harmony export */   Y$: () => (/* binding */ uncertain)
/* harmony export */ });
/* unused harmony exports GitHubUnreachable, GitHubRateLimited, WAIT_CEILING_MS, rateLimitWait */
/* harmony import */ var undici__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6752);

/**
 * A write that may or may not have happened: a 5xx, or a connection lost after
 * the request left. Never sent again blindly (GitHub may have made the commit):
 * the caller reads what is there and lets its compare-and-swap decide.
 */
function uncertain(answer) {
    return answer.status === 0 || answer.status >= 500;
}
class GitHubUnreachable extends Error {
    api;
    constructor(api, cause) {
        super(`GitHub's API at ${api} could not be reached (${cause})`);
        this.api = api;
        this.name = 'GitHubUnreachable';
    }
}
/** GitHub asked for a wait longer than the run will give it (`waitCeiling`): the write is not made. */
class GitHubRateLimited extends Error {
    waitMs;
    constructor(waitMs, status) {
        super(`GitHub asked to wait ${Math.ceil(waitMs / 1000)} s before the next request (a rate limit, ${status}), longer than this run waits for it`);
        this.waitMs = waitMs;
        this.name = 'GitHubRateLimited';
    }
}
/** The longest rate-limit wait a write of the run sits through: past it, new uploads stop rather than wait for hours. */
const WAIT_CEILING_MS = 10 * 60 * 1000;
/** How long a 403/429 asks us to wait, if it is a rate limit (pure; `now` in ms). */
function rateLimitWait(status, headers, message, now) {
    if (status !== 403 && status !== 429)
        return undefined;
    const header = (name) => {
        const value = headers[name];
        return Array.isArray(value) ? value[0] : value;
    };
    const retryAfter = header('retry-after');
    if (retryAfter !== undefined && /^\d+$/.test(retryAfter.trim()))
        return Number(retryAfter) * 1000;
    const reset = header('x-ratelimit-reset');
    if (reset !== undefined && /^\d+$/.test(reset.trim()) && (header('x-ratelimit-remaining') === '0' || status === 429))
        return Math.max(0, Number(reset) * 1000 - now) + 1000;
    // GitHub's docs: a secondary limit without either header means at least a minute.
    if (status === 429 || /secondary rate limit/i.test(message))
        return 60_000;
    return undefined;
}
class GitHubRest {
    options;
    agent;
    /** Requests sent, rate-limit answers included: the run's cost, for the log and the benchmark. */
    requests = 0;
    /** The longest rate-limit wait sat through; the ledger's last write may raise it (see BranchStore.finishing). */
    waitCeiling = WAIT_CEILING_MS;
    constructor(options) {
        this.options = options;
        this.agent = new undici__WEBPACK_IMPORTED_MODULE_0__.Agent({ connect: { timeout: 10_000 }, headersTimeout: 60_000, bodyTimeout: 60_000 });
    }
    get clock() {
        return this.options.clock;
    }
    get api() {
        return this.options.apiUrl;
    }
    log(line) {
        this.options.log(line);
    }
    /**
     * One call; a rate limit is waited out (as often as GitHub says). A connection failure or a 5xx
     * is tried again a few times when the call is `idempotent` (a GET; a blob, tree or commit, named
     * by its content); otherwise it comes back as it is (status 0 for a lost connection), see `uncertain`.
     */
    async call(method, route, body, idempotent = method === 'GET') {
        const url = `${this.options.apiUrl.replace(/\/+$/, '')}${route}`;
        const retries = this.options.retries ?? 3;
        for (let failures = 0;;) {
            let answer;
            try {
                this.requests++;
                answer = await (0,undici__WEBPACK_IMPORTED_MODULE_0__.request)(url, {
                    method,
                    dispatcher: this.agent,
                    headers: {
                        accept: 'application/vnd.github+json',
                        authorization: `Bearer ${this.options.token}`,
                        'user-agent': 'draftclip-publish',
                        'x-github-api-version': '2022-11-28',
                        ...(body === undefined ? {} : { 'content-type': 'application/json' })
                    },
                    body: body === undefined ? undefined : JSON.stringify(body)
                });
            }
            catch (error) {
                const code = error.code ?? error.message;
                if (!idempotent)
                    return { status: 0, json: undefined, message: `no answer: ${code}` };
                if (++failures > retries)
                    throw new GitHubUnreachable(this.options.apiUrl, code);
                await this.options.clock.sleep(1000 * 2 ** (failures - 1));
                continue;
            }
            const text = await answer.body.text();
            let json;
            try {
                json = text === '' ? undefined : JSON.parse(text);
            }
            catch {
                json = undefined;
            }
            const message = typeof json?.message === 'string' ? json.message : text.slice(0, 200);
            const wait = rateLimitWait(answer.statusCode, answer.headers, message, this.options.clock.now());
            if (wait !== undefined) {
                if (wait > this.waitCeiling)
                    throw new GitHubRateLimited(wait, answer.statusCode);
                this.options.log(`GitHub's rate limit (${answer.statusCode}): waiting ${Math.ceil(wait / 1000)} s as it asks, then sending again`);
                await this.options.clock.sleep(wait);
                continue;
            }
            if (answer.statusCode >= 500 && idempotent && ++failures <= retries) {
                await this.options.clock.sleep(1000 * 2 ** (failures - 1));
                continue;
            }
            return { status: answer.statusCode, json, message };
        }
    }
    async close() {
        await this.agent.close();
    }
}


/***/ })

};

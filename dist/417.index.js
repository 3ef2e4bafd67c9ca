export const id = 417;
export const ids = [417];
export const modules = {

/***/ 6417:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GitHubRest: () => (/* binding */ GitHubRest)
/* harmony export */ });
/* unused harmony exports GitHubUnreachable, rateLimitWait */
/* harmony import */ var undici__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6752);

class GitHubUnreachable extends Error {
    api;
    constructor(api, cause) {
        super(`GitHub's API at ${api} could not be reached (${cause})`);
        this.api = api;
        this.name = 'GitHubUnreachable';
    }
}
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
    /** One call; a rate limit is waited out (as often as GitHub says), a connection failure tried again a few times. */
    async call(method, route, body) {
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
                this.options.log(`GitHub's rate limit (${answer.statusCode}): waiting ${Math.ceil(wait / 1000)} s as it asks, then sending again`);
                await this.options.clock.sleep(wait);
                continue;
            }
            if (answer.statusCode >= 500 && ++failures <= retries) {
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

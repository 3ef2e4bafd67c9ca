export const id = 363;
export const ids = [363,417];
export const modules = {

/***/ 2363:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BranchStore: () => (/* binding */ BranchStore),
/* harmony export */   runState: () => (/* binding */ runState)
/* harmony export */ });
/* unused harmony export LedgerBranchError */
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7194);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _rest_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6417);



/**
 * The ledger as a file on a branch of the workflow's repository, through
 * GitHub's REST API. Every write is a commit made with a compare-and-swap: the
 * contents API with the file's blob sha (409 when it moved), or, for the
 * branch's first commit, creating the ref (422 when another run made it
 * first). A refused swap is reported as such; the Ledger re-reads and merges.
 *
 * A missing branch starts as an orphan holding only the ledger: no copy of the
 * code or the workflows (a push of workflow files needs a permission the
 * token lacks), a history that is the ledger's alone, and it works whatever
 * the default branch is.
 */
/** 80 content-creating requests a minute, GitHub's secondary limit, with room for the ref's creation. */
const WRITE_SPACING_MS = 800;
/** How long the run's last write sits through a rate limit: the outputs wait for it. */
const FINAL_WAIT_CEILING_MS = 60 * 60 * 1000;
/** A commit refused while the file did not move (the branch's head moved under another file's commit; a 5xx) is sent this many times in all. */
const WRITE_TRIES = 5;
/** A blob's git sha, as GitHub names a file's content: how a write GitHub took but answered badly is recognised. */
function gitBlobSha(bytes) {
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
/** GitHub refuses the branch itself (a protection, a ruleset): sending again cannot help. */
function protectedAnswer(answer) {
    return (answer.status === 409 || answer.status === 422) && /protected|rule/i.test(answer.message);
}
class LedgerBranchError extends Error {
    constructor(message) {
        super(message);
        this.name = 'LedgerBranchError';
    }
}
class BranchStore {
    options;
    shownAs;
    /** The file's blob sha as last read or written; undefined when it is not there. */
    sha;
    branchExists = true;
    /** The branch was there when last read or written: its disappearance is worth a warning. */
    seen = false;
    /** Commits made, for the log and the benchmark. */
    commits = 0;
    /** When the last commit was sent: GitHub allows about 80 content-creating requests a minute. */
    lastWrite = -Infinity;
    constructor(options) {
        this.options = options;
        this.shownAs = `${options.path} on branch '${options.branch}'`;
    }
    get repo() {
        return `/repos/${this.options.repository.split('/').map(encodeURIComponent).join('/')}`;
    }
    get filePath() {
        return this.options.path.split('/').map(encodeURIComponent).join('/');
    }
    async read() {
        const { rest, branch } = this.options;
        const answer = await rest.call('GET', `${this.repo}/contents/${this.filePath}?ref=${encodeURIComponent(branch)}`);
        if (answer.status === 200) {
            const file = answer.json;
            if (file?.type !== 'file' || typeof file.sha !== 'string')
                throw new LedgerBranchError(`${this.shownAs} is not a file.`);
            this.sha = file.sha;
            this.branchExists = true;
            this.seen = true;
            // Over 1 MB the contents API leaves the content out; the blob has it (up to 100 MB).
            if (file.encoding === 'base64' && typeof file.content === 'string')
                return Buffer.from(file.content, 'base64').toString('utf8');
            const blob = await rest.call('GET', `${this.repo}/git/blobs/${file.sha}`);
            if (blob.status !== 200)
                throw this.refused('read', blob);
            return Buffer.from(blob.json.content, 'base64').toString('utf8');
        }
        if (answer.status !== 404)
            throw this.refused('read', answer);
        this.sha = undefined;
        // Is it the file that is missing, or the branch?
        const ref = await rest.call('GET', `${this.repo}/git/ref/heads/${encodeURIComponent(branch)}`);
        if (ref.status === 200)
            this.branchExists = true;
        else if (ref.status === 404)
            this.branchExists = false;
        else
            throw this.refused('read', ref);
        if (!this.branchExists && this.seen)
            rest.log(`Warning: the branch '${branch}' was deleted while this run used it as its ledger: it is made again with the entries this job stored; entries only other runs stored on it are gone.`);
        this.seen = this.branchExists;
        return undefined;
    }
    /** The run's last write: a rate limit is waited out up to an hour (new uploads stopped at ten minutes), so that what was learned is stored. */
    finishing() {
        this.options.rest.waitCeiling = Math.max(this.options.rest.waitCeiling, FINAL_WAIT_CEILING_MS);
    }
    /** Paced under GitHub's secondary limit; what is learned meanwhile shares the next commit. */
    async ready() {
        const { clock } = this.options.rest;
        const wait = this.lastWrite + WRITE_SPACING_MS - clock.now();
        if (wait > 0)
            await clock.sleep(wait);
    }
    async write(bytes, changed) {
        this.lastWrite = this.options.rest.clock.now();
        const message = this.message(changed);
        return this.branchExists ? this.update(bytes, message) : this.create(bytes, message);
    }
    /**
     * A commit of the file on the branch, if the file is still the one we last saw. A refusal or a
     * failure is judged by reading the file again: ours there (GitHub took the commit but answered
     * badly), stored; moved, stale (merge); unmoved, sent again a few times unless a rule refuses us.
     */
    async update(bytes, message) {
        const { rest, branch } = this.options;
        const ours = gitBlobSha(bytes);
        for (let tries = 1;; tries++) {
            const sent = this.sha;
            const answer = await rest.call('PUT', `${this.repo}/contents/${this.filePath}`, {
                message,
                content: Buffer.from(bytes).toString('base64'),
                branch,
                ...(sent ? { sha: sent } : {})
            });
            if (answer.status === 200 || answer.status === 201) {
                this.sha = answer.json.content?.sha;
                this.commits++;
                this.seen = true;
                return true;
            }
            if (answer.status !== 409 && answer.status !== 422 && answer.status !== 404 && !(0,_rest_js__WEBPACK_IMPORTED_MODULE_1__/* .uncertain */ .Y$)(answer))
                throw this.refused('write', answer);
            const before = { sha: sent, exists: this.branchExists };
            await this.read();
            if (this.branchExists && this.sha === ours && sent !== ours) {
                this.commits++;
                this.seen = true;
                return true;
            }
            if (this.sha !== before.sha || this.branchExists !== before.exists)
                return false;
            if (answer.status === 404 || protectedAnswer(answer) || tries >= WRITE_TRIES)
                throw this.refused('write', answer, tries);
            await this.backoff(tries);
        }
    }
    /** Before sending a refused commit again: 1, 2, 4, 8 s, each between half and one and a half of that. */
    async backoff(tries) {
        const { clock } = this.options.rest;
        await clock.sleep(1000 * 2 ** (tries - 1) * (0.5 + clock.random()));
    }
    /** The branch's first commit: an orphan holding only the ledger; the ref's creation is the swap. */
    async create(bytes, message) {
        const { rest, branch, path } = this.options;
        const blob = await rest.call('POST', `${this.repo}/git/blobs`, { content: Buffer.from(bytes).toString('base64'), encoding: 'base64' }, true);
        if (blob.status !== 201)
            throw this.refused('write', blob);
        const blobSha = blob.json.sha;
        const tree = await rest.call('POST', `${this.repo}/git/trees`, { tree: [{ path, mode: '100644', type: 'blob', sha: blobSha }] }, true);
        if (tree.status !== 201)
            throw this.refused('write', tree);
        const commit = await rest.call('POST', `${this.repo}/git/commits`, { message, tree: tree.json.sha, parents: [] }, true);
        if (commit.status !== 201)
            throw this.refused('write', commit);
        for (let tries = 1;; tries++) {
            const ref = await rest.call('POST', `${this.repo}/git/refs`, {
                ref: `refs/heads/${branch}`,
                sha: commit.json.sha
            });
            if (ref.status === 201) {
                this.branchExists = true;
                this.sha = blobSha;
                this.commits++;
                this.seen = true;
                return true;
            }
            if (ref.status !== 422 && !(0,_rest_js__WEBPACK_IMPORTED_MODULE_1__/* .uncertain */ .Y$)(ref))
                throw this.refused('write', ref);
            // Another run made the branch first (read it, merge), or GitHub made ours but answered badly.
            await this.read();
            if (this.branchExists && this.sha === blobSha) {
                this.commits++;
                this.seen = true;
                return true;
            }
            if (this.branchExists)
                return false;
            if (!(0,_rest_js__WEBPACK_IMPORTED_MODULE_1__/* .uncertain */ .Y$)(ref) || tries >= WRITE_TRIES)
                throw this.refused('write', ref, tries);
            await this.backoff(tries);
        }
    }
    /** Names the videos and the run: someone reading the branch's history sees who wrote what. */
    message(changed) {
        const { run } = this.options;
        // Control characters folded first: a file name's newline must not make a line (a forged trailer) of the message.
        // eslint-disable-next-line no-control-regex -- control characters are what it removes
        const names = changed.map(e => `${e.file} ${e.status}`.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' '));
        const head = `draftclip-publish: ${names.length === 1 ? names[0] : `${names.length} videos`} (run ${run.id}, attempt ${run.attempt})`;
        const body = names.length === 1 ? '' : `\n\n${names.map(n => `- ${n}`).join('\n')}`;
        return (0,_secrets_js__WEBPACK_IMPORTED_MODULE_2__/* .scrub */ ._I)(head + body, this.options.secrets);
    }
    /** An answer that is no compare-and-swap: what the user must change, named. */
    refused(what, answer, tries = 1) {
        const { repository, branch } = this.options;
        const said = `${answer.status} ${(0,_secrets_js__WEBPACK_IMPORTED_MODULE_2__/* .scrub */ ._I)(answer.message, this.options.secrets).slice(0, 200)}`;
        if (answer.status === 401)
            return new LedgerBranchError(`GitHub refused the token ('github-token') while trying to ${what} ${this.shownAs} of ${repository} (${said}).`);
        if (answer.status === 403 || (what === 'read' && answer.status === 404))
            return new LedgerBranchError(`GitHub refused to ${what} ${this.shownAs} of ${repository} (${said}): the job needs 'permissions: contents: write' for 'ledger-branch'.`);
        const times = tries > 1 ? `, ${tries} times` : '';
        if (what === 'write' && (0,_rest_js__WEBPACK_IMPORTED_MODULE_1__/* .uncertain */ .Y$)(answer))
            return new LedgerBranchError(`GitHub failed to take a commit to the branch '${branch}' of ${repository} (${said}${times}): GitHub's API may be having trouble (githubstatus.com); run the workflow again later.`);
        if (what === 'write' && !protectedAnswer(answer) && tries > 1)
            return new LedgerBranchError(`GitHub refused a commit to the branch '${branch}' of ${repository} ${tries} times (${said}): its head kept moving under other commits (other jobs writing to it?); run the workflow again.`);
        if (what === 'write')
            return new LedgerBranchError(`GitHub refused a commit to the branch '${branch}' of ${repository} (${said}): is it protected? 'ledger-branch' needs a branch the workflow's token may push to.`);
        return new LedgerBranchError(`GitHub could not ${what} ${this.shownAs} of ${repository} (${said}).`);
    }
}
/** Asks GitHub whether a run is still going: GET /actions/runs/{id}, which needs `actions: read`. */
async function runState(rest, repository, id) {
    if (!/^\d+$/.test(id))
        return 'unknown';
    const answer = await rest.call('GET', `/repos/${repository.split('/').map(encodeURIComponent).join('/')}/actions/runs/${id}`);
    if (answer.status === 200)
        return answer.json.status === 'completed' ? 'completed' : 'in_progress';
    // A run GitHub does not know (deleted) is not running.
    if (answer.status === 404)
        return 'completed';
    return 'unknown';
}


/***/ }),

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

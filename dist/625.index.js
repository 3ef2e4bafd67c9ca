export const id = 625;
export const ids = [625];
export const modules = {

/***/ 6584:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GitHubClient: () => (/* binding */ GitHubClient),
/* harmony export */   Y$: () => (/* binding */ uncertain)
/* harmony export */ });
/* unused harmony exports GitHubUnreachable, GitHubTooSlow, GitHubRateLimited, WAIT_CEILING_MS, rateLimitWait */
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
/** GitHub did not answer before the deadline (`until`): a step must not hang on it before the first upload. */
class GitHubTooSlow extends Error {
    api;
    constructor(api, seconds, cause) {
        super(`GitHub's API at ${api} did not answer within ${seconds} s (${cause}); nothing was uploaded. Run the workflow again later (githubstatus.com).`);
        this.api = api;
        this.name = 'GitHubTooSlow';
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
class GitHubClient {
    options;
    agent;
    transport;
    /** Requests sent, rate-limit answers included: the run's cost, for the log and the benchmark. */
    requests = 0;
    /** The longest rate-limit wait sat through; the ledger's last write may raise it (see BranchStore.finishing). */
    waitCeiling = WAIT_CEILING_MS;
    /** GitHub's time left (ms), and how it was set: see until(). Time spent elsewhere (hashing videos) does not count. */
    deadline;
    constructor(options) {
        this.options = options;
        this.agent = new undici__WEBPACK_IMPORTED_MODULE_0__.Agent({ connect: { timeout: 10_000 }, headersTimeout: 60_000, bodyTimeout: 60_000 });
        this.transport = options.transport ?? (request => this.send(request));
    }
    async send({ method, url, headers, body, timeoutMs }) {
        // The deadline's rest bounds this request too: the agent's own timeouts (60 s each) would outlast it.
        const signal = timeoutMs === undefined ? undefined : AbortSignal.timeout(Math.max(1, timeoutMs));
        try {
            const answer = await (0,undici__WEBPACK_IMPORTED_MODULE_0__.request)(url, { method: method, dispatcher: this.agent, headers, body, signal });
            return { status: answer.statusCode, headers: answer.headers, text: await answer.body.text() };
        }
        catch (error) {
            if (signal?.aborted)
                throw Object.assign(new Error('no answer before the deadline'), { code: 'no answer before the deadline' });
            throw error;
        }
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
     * Calls from now on fail rather than take more than `ms` in all (undefined: no bound): the time
     * before the first upload. Only time inside calls counts (a run hashing its videos is not GitHub slow).
     */
    until(ms) {
        this.deadline = ms === undefined ? undefined : { ms, spent: 0 };
    }
    /** What is left of the deadline for a call that started at `since`, or throws when it is spent. */
    left(cause, since) {
        if (!this.deadline)
            return undefined;
        const left = this.deadline.ms - this.deadline.spent - (this.options.clock.now() - since);
        if (left <= 0)
            throw new GitHubTooSlow(this.options.apiUrl, Math.round(this.deadline.ms / 1000), cause);
        return left;
    }
    /**
     * One call, by the policy above. `idempotent` (default: a GET) says whether it may be sent again
     * after a 5xx or a lost connection; otherwise such an answer comes back as it is (status 0 for a
     * lost connection), see `uncertain`.
     */
    async call(method, route, body, idempotent = method === 'GET') {
        const since = this.options.clock.now();
        const deadline = this.deadline;
        try {
            return await this.attempts(method, route, body, idempotent, since);
        }
        finally {
            if (deadline)
                deadline.spent += this.options.clock.now() - since;
        }
    }
    async attempts(method, route, body, idempotent, since) {
        const url = `${this.options.apiUrl.replace(/\/+$/, '')}${route}`;
        const retries = this.options.retries ?? 3;
        for (let failures = 0;;) {
            const left = this.left('no answer yet', since);
            let answer;
            try {
                this.requests++;
                answer = await this.transport({
                    method,
                    url,
                    headers: this.headers(body),
                    body: body === undefined ? undefined : JSON.stringify(body),
                    timeoutMs: left
                });
            }
            catch (error) {
                const code = error.code ?? error.message;
                if (!idempotent)
                    return { status: 0, json: undefined, message: `no answer: ${code}` };
                if (++failures > retries)
                    throw new GitHubUnreachable(this.options.apiUrl, code);
                await this.pause(1000 * 2 ** (failures - 1), code, since);
                continue;
            }
            const json = parseJson(answer.text);
            const message = typeof json?.message === 'string' ? json.message : answer.text.slice(0, 200);
            const wait = rateLimitWait(answer.status, answer.headers, message, this.options.clock.now());
            if (wait !== undefined) {
                if (wait > this.waitCeiling)
                    throw new GitHubRateLimited(wait, answer.status);
                this.options.log(`GitHub's rate limit (${answer.status}): waiting ${Math.ceil(wait / 1000)} s as it asks, then sending again`);
                await this.pause(wait, `a rate limit (${answer.status})`, since);
                continue;
            }
            if (answer.status >= 500 && idempotent && ++failures <= retries) {
                await this.pause(1000 * 2 ** (failures - 1), `${answer.status}`, since);
                continue;
            }
            return { status: answer.status, json, message };
        }
    }
    headers(body) {
        return {
            accept: 'application/vnd.github+json',
            // The scheme Octokit sends; GitHub takes 'Bearer' as well.
            authorization: `token ${this.options.token}`,
            'user-agent': 'draftclip-publish',
            'x-github-api-version': '2022-11-28',
            ...(body === undefined ? {} : { 'content-type': 'application/json' })
        };
    }
    /** A wait before sending again; none may outlast the deadline. */
    async pause(ms, cause, since) {
        const left = this.left(cause, since);
        if (left !== undefined && ms >= left)
            throw new GitHubTooSlow(this.options.apiUrl, Math.round(this.deadline.ms / 1000), cause);
        await this.options.clock.sleep(ms);
    }
    async close() {
        await this.agent.close();
    }
}
function parseJson(text) {
    try {
        return text === '' ? undefined : JSON.parse(text);
    }
    catch {
        return undefined;
    }
}


/***/ }),

/***/ 3385:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   g$: () => (/* binding */ printable),
/* harmony export */   om: () => (/* binding */ safeLine),
/* harmony export */   vF: () => (/* binding */ logger)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6421);
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7194);


/**
 * The log, as the runner reads it: any line that begins with `::` is a
 * workflow command. Text from outside (file names, the server's words) is
 * made into one line that cannot begin one, and scrubbed of the key.
 */
function safeLine(text) {
    const one = printable(text.replace(/\r\n|\r|\n|\u2028|\u2029/g, ' ⏎ '));
    // The runner trims a line before it looks for '::'.
    return /^\s*::/.test(one) ? `› ${one}` : one;
}
/**
 * Control characters shown, not obeyed: the log viewer renders ANSI escapes (a name could hide or recolour
 * the lines around it, or clear them), and a bidirectional override makes a name read as another
 * ('clip\u202Egpj.mp4'). C0 controls become their Unicode pictures (ESC is ␛), DEL ␡, the rest (C1, bidi
 * overrides and isolates) '�'. A tab stays.
 */
function printable(text) {
    // eslint-disable-next-line no-control-regex -- control characters are what it shows
    return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, c => {
        const code = c.charCodeAt(0);
        return code < 0x20 ? String.fromCharCode(0x2400 + code) : code === 0x7f ? '\u2421' : '\ufffd';
    });
}
function logger(secrets, now = Date.now) {
    const clean = (line) => safeLine((0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .scrub */ ._I)(line, secrets));
    return {
        info: line => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(clean(line)),
        // Annotations are commands of their own (@actions/core escapes their text); one line each all the same.
        // An annotation's file and title are the user's text too: a name holding a secret is not written out whole.
        warning: (line, file) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(clean(line), file ? { file: (0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .scrub */ ._I)(file, secrets) } : {}),
        // A problem that names its line ("line 4: …", a sidecar's) marks that line on the file's page.
        error: (line, file, title) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .error */ .z3(printable((0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .scrub */ ._I)(line, secrets)), {
            file: file && (0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .scrub */ ._I)(file, secrets),
            title: title && (0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .scrub */ ._I)(title, secrets),
            startLine: file ? Number(/^line (\d+): /.exec(line)?.[1]) || undefined : undefined
        }),
        video: video => videoLog(video, clean, (0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .scrub */ ._I)(video.file, secrets), now)
    };
}
/** Lines for one video: shown live, then kept in a log group once the video is done. */
function videoLog(video, clean, file, now) {
    const lines = [];
    const started = now();
    const keep = (line) => {
        lines.push(clean(`[+${((now() - started) / 1000).toFixed(1)}s] ${line}`));
        return `${video.file}: ${line}`;
    };
    return {
        info: line => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(clean(keep(line))),
        warn: line => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(clean(keep(line)), { file }),
        done: (result) => {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .startGroup */ .Oh(clean(`${video.file}: ${result.status}${result.publish_id ? ` (${result.publish_id})` : ''}`));
            for (const line of lines)
                _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(line);
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .endGroup */ .N4();
        }
    };
}


/***/ }),

/***/ 4625:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
// EXTERNAL MODULE: ./src/github/log.ts
var github_log = __webpack_require__(3385);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/model/result.ts
var result = __webpack_require__(2960);
// EXTERNAL MODULE: ./src/model/status.ts
var model_status = __webpack_require__(8203);
// EXTERNAL MODULE: ./src/secrets.ts
var src_secrets = __webpack_require__(7194);
;// CONCATENATED MODULE: ./src/sizes.ts
/** DraftClip's limit, "500MB", in PHP's units (upload_max_filesize=500M). */
const MAX_VIDEO_BYTES = 500 * 1024 * 1024;
const UNITS = ['KB', 'MB', 'GB', 'TB'];
/**
 * A size as a person reads it in the log and the summary: bytes below 1 KB,
 * then KB, MB, GB with one decimal (powers of 1024, as PHP counts its 500M).
 */
function formatSize(bytes) {
    if (Math.round(bytes) < 1024)
        return `${Math.round(bytes)} byte${Math.round(bytes) === 1 ? '' : 's'}`;
    let value = bytes / 1024;
    let unit = 0;
    // 1023.96 KB would print as "1024.0 KB": move up once the rounded figure reaches 1024.
    while (Number(value.toFixed(1)) >= 1024 && unit < UNITS.length - 1) {
        value /= 1024;
        unit++;
    }
    return `${value.toFixed(1)} ${UNITS[unit]}`;
}

;// CONCATENATED MODULE: ./src/model/video.ts
/** A video as the checks found it, and the run it is published from: plain data, no I/O. */
/** One line for the log and the summary: "2 s, 360x640 px, 30 fps, h264". */
function mediaText(media) {
    return `${media.duration} s, ${media.width}x${media.height} px, ${media.fps} fps, ${media.codec}${media.audio ? '' : ', no audio'}`;
}
const PRIVACY_LEVELS = ['SELF_ONLY', 'MUTUAL_FOLLOW_FRIENDS', 'PUBLIC_TO_EVERYONE'];
const RUN_PLACEHOLDERS = ['repo', 'sha', 'ref', 'tag', 'run_url'];

;// CONCATENATED MODULE: ./src/github/report.ts









/** Every output of action.yml, named once. */
const Output = {
    PublishIds: 'publish-ids',
    PostIds: 'post-ids',
    PostUrls: 'post-urls',
    Results: 'results',
    PublishId: 'publish-id',
    PostId: 'post-id',
    PostUrl: 'post-url',
    NextPublishAt: 'next-publish-at',
    Requests: 'requests'
};
const NO_REQUESTS = { upload: 0, status: 0 };
/** `username`: the account's handle (tiktok-username), for the post links. */
function buildOutputs(results, requests = NO_REQUESTS, username) {
    const publishIds = results.map(r => r.publish_id).filter((id) => id !== null);
    const postIds = results.map(r => r.post_id).filter((id) => id !== null);
    // One link per post ID, in the same order: post-urls[i] opens post-ids[i].
    const postUrls = postIds.map(id => (0,result/* postUrl */.KI)(id, username));
    return {
        [Output.PublishIds]: JSON.stringify(publishIds),
        [Output.PostIds]: JSON.stringify(postIds),
        [Output.PostUrls]: JSON.stringify(postUrls),
        [Output.Results]: JSON.stringify(results.map(r => (0,result/* withPostUrl */.ui)(r, username))),
        [Output.PublishId]: publishIds[0] ?? '',
        [Output.PostId]: postIds[0] ?? '',
        [Output.PostUrl]: postUrls[0] ?? '',
        [Output.NextPublishAt]: (0,result/* nextPublishAt */.WR)(results) ?? '',
        [Output.Requests]: JSON.stringify({ upload: requests.upload, status: requests.status })
    };
}
/** Results with every text scrubbed before it is escaped into JSON or Markdown (where a key could hide). */
function scrubResults(results, secrets) {
    return results.map(r => (0,src_secrets/* scrubStrings */.aV)(r, secrets));
}
function setOutputs(results, secrets, requests, username) {
    for (const [name, value] of Object.entries(buildOutputs(scrubResults(results, secrets), requests, username)))
        core/* setOutput */.uH(name, (0,src_secrets/* scrub */._I)(value, secrets));
}
/**
 * The outputs through GITHUB_OUTPUT; when it is unset on a runner or cannot be
 * written, each output goes to the log instead (`name=value` lines: nothing is
 * lost) and the problem is returned. Outside a runner (local-action), unset is
 * normal: the toolkit prints them its own way.
 */
function setOutputsOrLog(results, secrets, info, onRunner, requests, username) {
    const file = process.env.GITHUB_OUTPUT;
    let problem = 'GITHUB_OUTPUT is not set';
    if (file || !onRunner) {
        try {
            setOutputs(results, secrets, requests, username);
            return undefined;
        }
        catch (error) {
            const folder = external_node_path_.dirname(file ?? '');
            problem = `GITHUB_OUTPUT (${file}) cannot be written: ${external_node_fs_.existsSync(folder) ? error.message : `its folder ${folder} does not exist`}`;
        }
    }
    info("The step's outputs, written to the log instead:");
    for (const [name, value] of Object.entries(buildOutputs(scrubResults(results, secrets), requests, username)))
        info(`${name}=${(0,src_secrets/* scrub */._I)(value, secrets)}`);
    return `${problem}, so later steps cannot read this step's outputs; they are in the log above.`;
}
function cell(text) {
    return (0,github_log/* printable */.g$)(text.replace(/[\\`[\]<>|]/g, c => `\\${c}`).replace(/\r\n|\r|\n|\u2028|\u2029/g, ' '));
}
/** GitHub drops a step summary over 1 MiB whole: rows stop well before, with a note. */
const SUMMARY_LIMIT_BYTES = 1000 * 1024;
/** The run's cost in one line, for a user on a metered plan. */
function requestsLine(requests) {
    const n = (count, what) => `${count} ${what} request${count === 1 ? '' : 's'}`;
    const line = `**DraftClip requests:** ${requests.upload + requests.status} (${n(requests.upload, 'upload')}, retries included; ${n(requests.status, 'status')})`;
    const unreached = requests.unreached ?? 0;
    if (unreached === 0)
        return line;
    return `${line}; ${n(unreached, 'more')} never reached DraftClip (no connection could be made), so they are not counted as the plan's`;
}
/** The job summary as Markdown: a heading, one row a video with a status mark, and the totals. */
function summaryMarkdown(results, options, limit = SUMMARY_LIMIT_BYTES) {
    const lines = [];
    lines.push(heading(results, options), '');
    if (options.problem) {
        // The heading of a real run already says nothing was published.
        const intro = options.dryRun ? ['> Nothing was published:'] : [];
        lines.push('> [!CAUTION]', ...intro, ...options.problem.split(/\r?\n/).map(l => `> ${cell(l)}`), '');
    }
    if (results.length === 0) {
        if (!options.problem)
            lines.push('No videos matched the patterns.');
        return lines.join('\n') + '\n';
    }
    const rows = options.dryRun ? planRows(results) : resultRows(results, options.stopReason, options.username);
    const calendar = calendarLines(results);
    let size = Buffer.byteLength(lines.join('\n')) + 4096;
    let shown = 0;
    for (const row of rows) {
        const bytes = Buffer.byteLength(row) + 1;
        // The calendar is kept whole unless it alone is too big.
        if (shown >= 2 && size + bytes + Math.min(calendar.bytes, limit / 4) > limit)
            break;
        lines.push(row);
        size += bytes;
        shown++;
    }
    const left = rows.length - shown;
    if (left > 0) {
        lines.push('', `*${left} more video${left === 1 ? ' is' : 's are'} not shown: GitHub drops a job summary over 1 MiB. The \`results\` output lists every video.*`);
    }
    const counts = new Map();
    for (const r of results)
        counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
    const total = results.reduce((sum, r) => sum + r.size, 0);
    lines.push('', `**${results.length} video${results.length === 1 ? '' : 's'}, ${formatSize(total)}:** ` +
        [...counts].map(([status, n]) => `${n} ${status}`).join(', '));
    if (options.requests)
        lines.push('', requestsLine(options.requests));
    for (const note of [options.stopReason, ...(options.notes ?? [])])
        if (note)
            lines.push('', `> [!WARNING]\n> ${cell(note)}`);
    let room = limit - size;
    for (const line of calendar.lines) {
        room -= Buffer.byteLength(line) + 1;
        if (room < 0) {
            lines.push('', '*The calendar goes on: the `results` output has every video and its `publish_at`.*');
            break;
        }
        lines.push(line);
    }
    return lines.join('\n') + '\n';
}
/** A title that is true of the run: "Published" only when this run published something. */
function heading(results, options) {
    if (options.dryRun)
        return '## DraftClip publish plan (dry run: nothing was sent)';
    if (!options.problem && results.some(r => (0,model_status/* meaningOf */.Pr)(r.status).uploaded))
        return '## Published to TikTok with DraftClip';
    if (results.some(r => r.status === model_status/* Status */.nW.Unconfirmed))
        return '## Nothing confirmed published to TikTok by this run';
    return '## Nothing was published to TikTok by this run';
}
/** The content calendar, when there is one: what was published now, what is queued, what is scheduled when (UTC). */
function calendarLines(results) {
    const scheduled = results
        .filter(r => r.status === model_status/* Status */.nW.Scheduled && r.publish_at)
        .sort((a, b) => Date.parse(a.publish_at) - Date.parse(b.publish_at));
    const queued = results.filter(r => r.status === model_status/* Status */.nW.Queued);
    if (scheduled.length === 0 && queued.length === 0)
        return { lines: [], bytes: 0 };
    // Uploaded by this run and not refused (in a dry run: would be).
    const now = results.filter(r => (0,model_status/* meaningOf */.Pr)(r.status).uploaded || r.status === model_status/* Status */.nW.DryRun);
    const list = (rs) => (rs.length === 0 ? 'none' : rs.map(r => cell(r.file)).join(', '));
    const nowLabel = results.some(r => r.status === model_status/* Status */.nW.DryRun) ? 'Would publish now' : 'Published now';
    const lines = ['', '### Calendar', '', `- **${nowLabel}:** ${list(now)}`, `- **Queued for a later run:** ${list(queued)}`];
    if (scheduled.length > 0) {
        lines.push('', '| Scheduled for (UTC) | File |', '|---|---|');
        for (const r of scheduled)
            lines.push(`| ${utc(r.publish_at)} | ${cell(r.file)} |`);
    }
    return { lines, bytes: lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0) };
}
/** An ISO instant as a person reads it: 2026-12-24 17:00 UTC. */
function utc(iso) {
    return iso.replace('T', ' ').replace(/:\d{2}\.\d{3}Z$/, ' UTC');
}
/** A last column with each video's duration, size and fps, when any was read (media-check). */
function mediaColumn(results) {
    if (!results.some(r => r.media))
        return { head: '', rule: '', cell: () => '' };
    return { head: ' Media |', rule: '---|', cell: r => ` ${r.media ? cell(mediaText(r.media)) : ''} |` };
}
function planRows(results) {
    const media = mediaColumn(results);
    const rows = [`| | File | Size | Privacy | Caption as it will be sent | Plan |${media.head}`, `|---|---|---|---|---|---|${media.rule}`];
    for (const r of results) {
        const plan = r.status === model_status/* Status */.nW.DryRun
            ? 'upload'
            : r.status === model_status/* Status */.nW.Skipped
                ? `skip${r.publish_id ? `: uploaded before (publish ID ${cell(r.publish_id)})` : ''}`
                : r.status === model_status/* Status */.nW.Scheduled && r.publish_at
                    ? `wait: scheduled for ${utc(r.publish_at)}`
                    : cell(r.error ?? r.status);
        rows.push(`| ${(0,model_status/* meaningOf */.Pr)(r.status).mark} | ${cell(r.file)} | ${formatSize(r.size)} | ${cell(r.privacy_level)} | ${cell(r.description)} | ${plan} |${media.cell(r)}`);
    }
    return rows;
}
function resultRows(results, stopReason, username) {
    const media = mediaColumn(results);
    const rows = [`| | File | Size | Status | Publish ID | Post | Error |${media.head}`, `|---|---|---|---|---|---|---|${media.rule}`];
    for (const r of results) {
        const post = r.post_id ? `[${cell(r.post_id)}](${(0,result/* postUrl */.KI)(r.post_id, username)})` : '';
        // The stop reason is said once, below the table.
        const error = (0,result/* saidByStop */.pY)(r.error, stopReason) ? 'why the run stopped: see below' : (r.error ?? (r.fail_reason ? r.fail_reason : ''));
        rows.push(`| ${(0,model_status/* meaningOf */.Pr)(r.status).mark} | ${cell(r.file)} | ${formatSize(r.size)} | ${cell(r.status)} | ${cell(r.publish_id ?? '')} | ${post} | ${cell(error)} |${media.cell(r)}`);
    }
    return rows;
}
async function writeSummary(results, options, secrets) {
    // Outside a runner (no GITHUB_STEP_SUMMARY) there is nowhere to write it.
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    await core/* summary */.z.addRaw(scrubbedSummary(results, options, secrets)).write();
}
/** The job summary's Markdown, every text scrubbed: what writeSummary writes, and what the log gets when it cannot. */
function scrubbedSummary(results, options, secrets) {
    const stopReason = options.stopReason && (0,src_secrets/* scrub */._I)(options.stopReason, secrets);
    const problem = options.problem && (0,src_secrets/* scrub */._I)(options.problem, secrets);
    const notes = options.notes?.map(n => (0,src_secrets/* scrub */._I)(n, secrets));
    const markdown = summaryMarkdown(scrubResults(results, secrets), { ...options, stopReason, problem, notes });
    return (0,src_secrets/* scrub */._I)(markdown, secrets);
}
/** Why the job summary cannot be written, in words (the toolkit's own message speaks of permissions). */
function summaryProblem(error) {
    const file = process.env.GITHUB_STEP_SUMMARY ?? '';
    const folder = external_node_path_.dirname(file);
    const why = external_node_fs_.existsSync(folder) ? error.message : `its folder ${folder} does not exist`;
    return `The job summary could not be written to GITHUB_STEP_SUMMARY (${file}): ${why}. It follows in the log.`;
}
/** Failures as annotations on the files, so they show on the run's page; one the stop reason already gives is not said again. */
function annotate(results, secrets, stopReason) {
    for (const r of results) {
        if ((0,result/* isAnnotated */.ne)(r.status) && !(0,result/* saidByStop */.pY)(r.error, stopReason)) {
            core/* error */.z3((0,github_log/* safeLine */.om)((0,src_secrets/* scrub */._I)(`${r.file}: ${r.status}: ${r.error ?? r.fail_reason ?? ''}`, secrets)), {
                file: (0,src_secrets/* scrub */._I)(r.file, secrets),
                title: `DraftClip: ${r.status}`
            });
        }
    }
}
/**
 * Outputs, annotations and the job summary of a run, with whatever it learned.
 * The runner's files may be unusable (unset, a folder gone): then the results
 * go to the log, and the step says why.
 */
async function reportOutcome(outcome, secrets, log, onRunner) {
    const { results, requests, username } = outcome;
    const outputsProblem = setOutputsOrLog(results, secrets, line => log.info(line), onRunner, requests, username);
    if (outputsProblem)
        core/* setFailed */.C1(outputsProblem);
    annotate(results, secrets, outcome.stopReason);
    let summaryFailed;
    if (!process.env.GITHUB_STEP_SUMMARY) {
        if (onRunner)
            summaryFailed = 'GITHUB_STEP_SUMMARY is not set, so there is no job summary. It follows in the log.';
    }
    else {
        try {
            await writeSummary(results, outcome, secrets);
        }
        catch (error) {
            summaryFailed = summaryProblem(error);
        }
    }
    if (summaryFailed) {
        log.warning(summaryFailed);
        for (const line of scrubbedSummary(results, outcome, secrets).trimEnd().split('\n'))
            log.info(line);
    }
}

;// CONCATENATED MODULE: ./src/cancel.ts
/**
 * A cancelled job gets SIGINT, SIGTERM 7.5 s later and SIGKILL 2.5 s after
 * that. Until SIGTERM (or this long), uploads whose body has left may still
 * answer with their publish id.
 */
const ANSWER_GRACE_MS = 7000;
/** Then how long the ledger writes get (a publish id may be in one, or what a cancel made of an upload), well inside SIGKILL's 2.5 s. */
const LEDGER_GRACE_MS = 1500;
/** Then each deployment's last status (deployment-environment), before the outputs; still inside SIGKILL's 2.5 s. */
const DEPLOYMENT_GRACE_MS = 600;
/**
 * A cancelled job: start nothing new, stop uploads whose last bytes have not left (the client
 * holds them back), give those whose have until SIGTERM to answer (the run ends by itself once
 * they have), make of each still unanswered what the lifecycle's rule says, let the ledger
 * store it, then leave the outputs behind (`report`) and exit 1.
 */
function watchForCancel(deps, soFar, log, report) {
    const cancel = new AbortController();
    /** Aborted by SIGTERM (the runner's last word before SIGKILL) or the end of the run: the grace is over. */
    const hurry = new AbortController();
    let ended = () => undefined;
    const runEnded = new Promise(resolve => (ended = resolve));
    const onSignal = (signal) => {
        if (signal === 'SIGTERM')
            hurry.abort();
        if (cancel.signal.aborted)
            return;
        cancel.abort();
        soFar.cancelled = `The job was cancelled (${signal}).`;
        log.error(`${soFar.cancelled} The outputs hold what was learned so far.`);
        void (async () => {
            await Promise.race([runEnded, deps.clock.sleep(ANSWER_GRACE_MS, hurry.signal)]);
            hurry.abort();
            // What each upload still under way is, first, so that its ledger write is among those the grace waits for.
            soFar.board?.interruptAll('the job was cancelled');
            const timer = new AbortController();
            await Promise.race([soFar.board?.ledger?.idle(), deps.clock.sleep(LEDGER_GRACE_MS, timer.signal)]);
            timer.abort();
            await soFar.settleDeployments(deps.clock, DEPLOYMENT_GRACE_MS);
            await report();
        })().finally(() => deps.exit(1));
    };
    if (deps.signals) {
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
    }
    return {
        signal: cancel.signal,
        stopWatching: () => {
            if (!deps.signals)
                return;
            process.removeListener('SIGINT', onSignal);
            process.removeListener('SIGTERM', onSignal);
        },
        runEnded: () => ended()
    };
}

;// CONCATENATED MODULE: ./src/inputs.ts


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
    MaxPollInterval: 'max-poll-interval',
    IfNoFilesFound: 'if-no-files-found',
    BaseUrl: 'base-url',
    Retries: 'retries',
    Ledger: 'ledger',
    Concurrency: 'concurrency',
    DryRun: 'dry-run',
    ReleaseNotes: 'release-notes',
    GithubToken: 'github-token',
    ResponseTimeout: 'response-timeout',
    MaxPollsPerMinute: 'max-polls-per-minute',
    MaxUploads: 'max-uploads',
    MediaCheck: 'media-check',
    MaxDuration: 'max-duration',
    LedgerBranch: 'ledger-branch',
    TiktokUsername: 'tiktok-username',
    DeploymentEnvironment: 'deployment-environment'
};
const NO_FILES_OPTIONS = ['error', 'warn', 'ignore'];
const MEDIA_CHECK_OPTIONS = ['error', 'warn', 'off'];
/** TikTok's API ceiling, in seconds (many accounts may post only 180 or 300). */
const DEFAULT_MAX_DURATION_S = 600;
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
/**
 * The default of every input that has one, as action.yml writes it: an empty
 * input is parsed as its default, so the two cannot disagree (inputs.test holds
 * action.yml to this table). github-token's default is an expression the runner fills in.
 */
const DEFAULTS = {
    [Input.PrivacyLevel]: 'SELF_ONLY',
    [Input.Wait]: 'true',
    [Input.WaitTimeout]: '300',
    [Input.PollInterval]: '5',
    [Input.MaxPollInterval]: '20',
    [Input.IfNoFilesFound]: 'error',
    [Input.BaseUrl]: 'https://drafttok.app',
    [Input.Retries]: '3',
    [Input.Concurrency]: '1',
    [Input.ResponseTimeout]: '600',
    [Input.MaxPollsPerMinute]: '30',
    [Input.MediaCheck]: 'error',
    [Input.MaxDuration]: String(DEFAULT_MAX_DURATION_S),
    [Input.DryRun]: 'false',
    [Input.ReleaseNotes]: 'false'
};
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
/** `apiKey`: the key as the run already read it (it is read once). */
function parseInputs(env, apiKey = readInput(env, Input.ApiKey)) {
    const problems = [];
    const get = (name) => readInput(env, name) || (DEFAULTS[name] ?? '');
    // A bad value is a problem (thrown below), so what the parsers return for one does not matter.
    const bool = (name) => {
        const raw = get(name);
        if (['true', 'True', 'TRUE'].includes(raw))
            return true;
        if (['false', 'False', 'FALSE'].includes(raw))
            return false;
        problems.push(`Input '${name}' must be true or false, got '${raw}'.`);
        return false;
    };
    const seconds = (name, min, max) => {
        const raw = get(name);
        const value = Number(raw);
        if (!/^(\d+(\.\d*)?|\.\d+)$/.test(raw) || !Number.isFinite(value) || value < min || value > max) {
            problems.push(`Input '${name}' must be a number of seconds from ${min} to ${max}, got '${raw}'.`);
            return 0;
        }
        return Math.round(value * 1000);
    };
    const integer = (name, min, max = Number.MAX_SAFE_INTEGER) => {
        const raw = get(name);
        if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
            const range = max === Number.MAX_SAFE_INTEGER ? `of ${min} or more` : `from ${min} to ${max}`;
            problems.push(`Input '${name}' must be a whole number ${range}, got '${raw}'.`);
            return 0;
        }
        return Number(raw);
    };
    const oneOf = (name, options, fold) => {
        const raw = get(name);
        const value = fold(raw);
        if (!options.includes(value)) {
            problems.push(`Input '${name}' must be one of ${options.join(', ')}, got '${raw}'.`);
            return options[0];
        }
        return value;
    };
    const dryRun = bool(Input.DryRun);
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
    const privacyLevel = oneOf(Input.PrivacyLevel, PRIVACY_LEVELS, s => s.toUpperCase());
    const wait = bool(Input.Wait);
    const waitTimeoutMs = seconds(Input.WaitTimeout, 1, 6 * 3600);
    const pollIntervalMs = seconds(Input.PollInterval, 0.05, 3600);
    // poll-interval is the first and shortest gap: a ceiling below it is lifted to it.
    const maxPollIntervalMs = Math.max(pollIntervalMs, seconds(Input.MaxPollInterval, 0.05, 3600));
    const ifNoFilesFound = oneOf(Input.IfNoFilesFound, NO_FILES_OPTIONS, s => s.toLowerCase());
    const retries = integer(Input.Retries, 0, MAX_RETRIES);
    const concurrency = integer(Input.Concurrency, 1, MAX_CONCURRENCY);
    const releaseNotes = bool(Input.ReleaseNotes);
    const responseTimeoutMs = seconds(Input.ResponseTimeout, 1, 3600);
    const maxPollsPerMinute = integer(Input.MaxPollsPerMinute, 1);
    const maxUploads = get(Input.MaxUploads) === '' ? undefined : integer(Input.MaxUploads, 0);
    const githubToken = get(Input.GithubToken) || undefined;
    const mediaCheck = oneOf(Input.MediaCheck, MEDIA_CHECK_OPTIONS, s => s.toLowerCase());
    const maxDuration = seconds(Input.MaxDuration, 1, 3600) / 1000;
    const baseUrl = parseBaseUrl(get(Input.BaseUrl), problems);
    const workspace = external_node_path_.resolve(env.GITHUB_WORKSPACE || process.cwd());
    const ledgerRaw = get(Input.Ledger);
    // A full ref names the same branch: 'refs/heads/x' must not make a branch called 'refs/heads/x'.
    const ledgerBranch = get(Input.LedgerBranch).replace(/^refs\/heads\//, '') || undefined;
    const ledger = ledgerRaw === '' || ledgerBranch ? undefined : external_node_path_.resolve(workspace, ledgerRaw);
    const ledgerPath = ledgerBranch ? branchPath(ledgerRaw || DEFAULT_BRANCH_LEDGER, problems) : undefined;
    if (ledgerBranch) {
        if (!isBranchName(ledgerBranch))
            problems.push(`Input '${Input.LedgerBranch}' is not a valid branch name: '${ledgerBranch}'.`);
        if (!githubToken)
            problems.push(`Input '${Input.LedgerBranch}' needs '${Input.GithubToken}' (its default is \${{ github.token }}).`);
        if (!/^[^/\s]+\/[^/\s]+$/.test(env.GITHUB_REPOSITORY ?? ''))
            problems.push(`Input '${Input.LedgerBranch}' needs GITHUB_REPOSITORY (owner/name), which the runner sets; it is '${env.GITHUB_REPOSITORY ?? ''}'.`);
    }
    if (maxUploads !== undefined && ledger === undefined && ledgerBranch === undefined) {
        problems.push(`Input '${Input.MaxUploads}' needs a ledger ('${Input.LedgerBranch}' or '${Input.Ledger}'): a queue is drained over several runs, and without a ledger every run would publish the same videos again.`);
    }
    const tiktokUsername = parseUsername(get(Input.TiktokUsername), problems);
    const deployments = parseDeployments(get(Input.DeploymentEnvironment), env, githubToken, dryRun, problems);
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
        maxPollIntervalMs,
        ifNoFilesFound,
        baseUrl: baseUrl,
        retries,
        ledger,
        ledgerBranch,
        ledgerPath,
        concurrency,
        dryRun,
        releaseNotes,
        githubToken,
        responseTimeoutMs,
        maxPollsPerMinute,
        maxUploads,
        mediaCheck,
        maxDuration,
        workspace,
        tiktokUsername,
        deployments
    };
}
/** A TikTok handle, with or without '@': 2 to 24 letters, digits, '_' or '.', not ending in '.'. */
const USERNAME = /^@?([A-Za-z0-9_.]{2,24})$/;
function parseUsername(raw, problems) {
    if (raw === '')
        return undefined;
    const m = USERNAME.exec(raw);
    if (!m || m[1].endsWith('.')) {
        problems.push(`Input '${Input.TiktokUsername}' must be the account's TikTok handle (2 to 24 letters, digits, '_' or '.', not ending in '.', with or without '@'), got '${raw}'.`);
        return undefined;
    }
    return m[1];
}
/** GitHub's limit on an environment's name. */
const ENVIRONMENT_MAX = 255;
/** deployment-environment and what it needs from the runner; a dry run sends nothing to GitHub, so it needs only the name. */
function parseDeployments(environment, env, githubToken, dryRun, problems) {
    if (environment === '')
        return undefined;
    const name = `Input '${Input.DeploymentEnvironment}'`;
    // eslint-disable-next-line no-control-regex -- a name GitHub shows on its pages: one line of text
    if (environment.length > ENVIRONMENT_MAX || /[\x00-\x1f\x7f]/.test(environment))
        problems.push(`${name} must be an environment's name of at most ${ENVIRONMENT_MAX} characters on one line, got '${environment}'.`);
    const repository = env.GITHUB_REPOSITORY ?? '';
    const sha = env.GITHUB_SHA ?? '';
    if (!dryRun) {
        if (!githubToken)
            problems.push(`${name} needs '${Input.GithubToken}' (its default is \${{ github.token }}).`);
        if (!/^[^/\s]+\/[^/\s]+$/.test(repository))
            problems.push(`${name} needs GITHUB_REPOSITORY (owner/name), which the runner sets; it is '${repository}'.`);
        if (sha === '')
            problems.push(`${name} needs GITHUB_SHA (the commit each deployment is made from), which the runner sets.`);
    }
    const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
    const runUrl = repository && env.GITHUB_RUN_ID ? `${server}/${repository}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
    return { environment, repository, sha, runUrl };
}
/** Where a branch ledger is kept on its branch when the `ledger` input is empty. */
const DEFAULT_BRANCH_LEDGER = '.draftclip/ledger.json';
/** Git's rules for a branch name, the ones a typo meets (git check-ref-format). */
function isBranchName(name) {
    return (
    // eslint-disable-next-line no-control-regex -- git refuses control characters in a ref
    !/[\x00-\x20\x7f~^:?*[\\]/.test(name) && !/(^|\/)\.|\.\.|\/\/|@\{|\.lock(\/|$)/.test(name) && !/^[-/]|[/.]$/.test(name) && name !== '@');
}
/** The ledger's path on its branch: relative, inside the repository, '/'-separated. */
function branchPath(raw, problems) {
    const parts = raw.replace(/\\/g, '/').replace(/^\.\//, '').split('/');
    if (raw.startsWith('/') || parts.some(p => p === '' || p === '.' || p === '..' || p === '.git')) {
        problems.push(`Input '${Input.Ledger}' with '${Input.LedgerBranch}' is the file's path on that branch, relative and inside it, e.g. ${DEFAULT_BRANCH_LEDGER}; got '${raw}'.`);
    }
    return parts.join('/');
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

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(6752);
;// CONCATENATED MODULE: ./src/draftclip/answers.ts

/**
 * What DraftClip's answers say, read defensively: the documented shapes, the
 * shapes TikTok's own API uses, and ids sent as JSON numbers (more digits than
 * a double keeps) are all read as text, digit for digit.
 */
/** The URL of an API endpoint below base-url (which may carry a path prefix). */
function endpoint(baseUrl, file) {
    const url = new URL(baseUrl.href);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/${file}`;
    return url;
}
const ID_KEYS = 'publish_id|public(?:al|l)?y_available_post_id';
/** Ids sent as bare JSON numbers (alone or in an array), quoted so JSON.parse keeps every digit. */
function quoteNumericIds(text) {
    return text.replace(new RegExp(`("(?:${ID_KEYS})"\\s*:\\s*)(\\[[\\d\\s,]*\\]|\\d+(?=\\s*[,}\\]]))`, 'g'), (_all, key, value) => key + value.replace(/\d+/g, digits => `"${digits}"`));
}
/** A body's JSON, with numeric ids kept as text; undefined when it is not JSON (or was cut short). */
function parseBody(text) {
    try {
        return JSON.parse(quoteNumericIds(text));
    }
    catch {
        return undefined;
    }
}
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function idText(value) {
    if (typeof value === 'string' && value.trim() !== '')
        return value.trim();
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)
        return String(value);
    return undefined;
}
/** Reads DraftClip's upload answer: only JSON with success true and a publish_id is an accepted upload. */
function acceptedUpload(json) {
    const data = isRecord(json) && json.success === true && isRecord(json.data) ? json.data : undefined;
    const publishId = idText(data?.publish_id);
    if (!publishId)
        return undefined;
    return { publishId, status: typeof data?.status === 'string' ? data.status : model_status/* Status */.nW.ProcessingUpload };
}
/**
 * What an upload answer says, whatever its HTTP status: a publish id anywhere
 * means DraftClip took the video. A body that is not JSON (cut short at our
 * size cap, or a page around it) is searched for one too: an id that was there
 * must never be lost.
 */
function uploadAnswer(json, text) {
    if (!isRecord(json)) {
        const found = /"publish_id"\s*:\s*(?:"([^"\\]{1,200})"|(\d{1,40}))/.exec(text);
        return { publishId: found ? (found[1] ?? found[2]).trim() || undefined : undefined, success: undefined, error: undefined };
    }
    return {
        publishId: isRecord(json.data) ? idText(json.data.publish_id) : undefined,
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
/**
 * Reads a status answer about `publishId`; undefined when it is not the
 * documented shape, or when it names another video (its post id is not ours).
 */
function readStatus(json, publishId) {
    if (!isRecord(json) || json.success !== true || !isRecord(json.data))
        return undefined;
    const data = json.data;
    if (typeof data.status !== 'string')
        return undefined;
    const about = idText(data.publish_id);
    if (about !== undefined && about !== publishId)
        return undefined;
    const status = data.status.toUpperCase();
    return {
        status,
        // The doc's table decides for the statuses it names; is_complete only for one it does not.
        isComplete: model_status/* COMPLETE_STATUSES */.FK.includes(status) || (!model_status/* INCOMPLETE_STATUSES */.mW.includes(status) && data.is_complete === true),
        postId: postIdOf(data.publicaly_available_post_id) ?? postIdOf(data.publicly_available_post_id),
        failReason: typeof data.fail_reason === 'string' && data.fail_reason !== '' ? data.fail_reason : undefined,
        description: typeof data.status_description === 'string' && data.status_description !== '' ? data.status_description : undefined
    };
}
/** Whether a status answer names a publish id other than the one asked about. */
function aboutAnotherVideo(json, publishId) {
    if (!isRecord(json) || !isRecord(json.data))
        return false;
    const about = idText(json.data.publish_id);
    return about !== undefined && about !== publishId;
}
/** DraftClip documents a string; TikTok's own API gives an array of ids. */
function postIdOf(value) {
    return idText(Array.isArray(value) ? value[0] : value);
}

// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
;// CONCATENATED MODULE: ./src/draftclip/body.ts

/**
 * An answer's body as text, decoded as the server encoded it: undici's
 * `request` hands over the bytes on the wire, and a proxy or PHP's
 * zlib.output_compression may gzip an answer nobody asked to be compressed.
 * At most `limit` decoded bytes are kept (a huge answer, or a small gzip that
 * inflates to gigabytes); what was decoded before a cut or corrupt stream is
 * kept too, since a publish id may be in it.
 */
async function readBody(body, contentEncoding, limit) {
    const kept = new KeptBytes(limit);
    const codings = listCodings(contentEncoding);
    const unknown = codings.find(c => !DECODERS.includes(c));
    if (codings.length === 0 || unknown) {
        for await (const chunk of body)
            kept.keep(chunk);
        if (unknown)
            return { text: '', encoding: unknown, undecodable: true };
        return { text: kept.text(), encoding: undefined, undecodable: false };
    }
    const broken = await decodeInto(body, codings, kept);
    return { text: kept.text(), encoding: codings.join(', '), undecodable: broken && kept.size === 0 };
}
/** The first `limit` bytes of what passes through; `size` counts all of it. */
class KeptBytes {
    limit;
    chunks = [];
    size = 0;
    constructor(limit) {
        this.limit = limit;
    }
    keep(chunk) {
        if (this.size < this.limit)
            this.chunks.push(chunk.subarray(0, this.limit - this.size));
        this.size += chunk.length;
    }
    get full() {
        return this.size >= this.limit;
    }
    text() {
        return Buffer.concat(this.chunks).toString('utf8');
    }
}
/** The Content-Encoding's codings, in the order they were applied, without `identity`. */
function listCodings(contentEncoding) {
    return (Array.isArray(contentEncoding) ? contentEncoding.join(',') : (contentEncoding ?? ''))
        .split(',')
        .map(c => c.trim().toLowerCase())
        .filter(c => c !== '' && c !== 'identity');
}
/** Feeds the body through the decoders into `kept`; whether a decoder broke. */
async function decodeInto(body, codings, kept) {
    let chain;
    for await (const chunk of body) {
        chain ??= decoderChain(codings, chunk, kept);
        const first = chain.first;
        // The rest of the body is still read (the connection stays usable), just not decoded.
        if (!first.destroyed && !kept.full && !first.write(chunk)) {
            await new Promise(resolve => {
                first.once('drain', resolve);
                first.once('close', resolve);
            });
        }
    }
    if (!chain)
        return false;
    if (!chain.first.destroyed)
        chain.first.end();
    await chain.ended;
    return chain.broken;
}
/** The decoders piped one into the next, the last one's output kept. `head` is the body's first chunk. */
function decoderChain(codings, head, kept) {
    // Codings are listed in the order they were applied: undo the last first.
    const stages = [...codings].reverse().map((coding, i) => decoder(coding, i === 0 ? head : undefined));
    for (let i = 0; i + 1 < stages.length; i++)
        stages[i].pipe(stages[i + 1]);
    const out = stages[stages.length - 1];
    out.on('data', (chunk) => {
        kept.keep(chunk);
        // Enough is decoded: stop inflating (a bomb must not cost the rest).
        if (kept.full)
            for (const stage of stages)
                stage.destroy();
    });
    const chain = { first: stages[0], ended: Promise.resolve(), broken: false };
    chain.ended = new Promise(resolve => {
        out.once('end', resolve);
        out.once('close', resolve);
        for (const stage of stages)
            stage.once('error', () => {
                chain.broken = true;
                resolve();
            });
    });
    return chain;
}
const DECODERS = ['gzip', 'x-gzip', 'deflate', 'br'];
function decoder(coding, head) {
    // Truncated input is common (a cut answer): flush what there is rather than hold it back.
    const options = { finishFlush: external_node_zlib_.constants.Z_SYNC_FLUSH };
    if (coding === 'br')
        return external_node_zlib_.createBrotliDecompress({ finishFlush: external_node_zlib_.constants.BROTLI_OPERATION_FLUSH });
    if (coding === 'deflate') {
        // "deflate" should be zlib-wrapped, but servers send raw deflate too (as browsers and undici's fetch accept).
        return head && (head[0] & 0x0f) !== 0x08 ? external_node_zlib_.createInflateRaw(options) : external_node_zlib_.createInflate(options);
    }
    return external_node_zlib_.createGunzip(options);
}

;// CONCATENATED MODULE: ./src/draftclip/multipart.ts

/**
 * A fresh random boundary for every request: a fixed one is public, and a
 * crafted video containing it would end its part early and smuggle in fields
 * of its own (caption, privacy) that PHP would take.
 */
function newBoundary() {
    return `----draftclip-publish-${(0,external_node_crypto_.randomBytes)(24).toString('hex')}`;
}
/**
 * The multipart body around the file's bytes, built by hand so that its exact
 * length is known up front: PHP behind FastCGI drops chunked bodies, and a
 * known length lets the file stream from disk in flat memory.
 */
function multipartFrame(file, boundary = newBoundary()) {
    let head = '';
    for (const [name, value] of Object.entries(file.fields)) {
        if (value.includes(boundary))
            throw new Error(`The ${name} of ${file.name} contains the multipart boundary`);
        head += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    }
    head +=
        `--${boundary}\r\nContent-Disposition: form-data; name="video"; filename="${escapeQuoted(file.name)}"\r\n` +
            `Content-Type: ${file.contentType}\r\n\r\n`;
    const headBytes = Buffer.from(head, 'utf8');
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
    return { boundary, head: headBytes, tail, length: headBytes.length + file.size + tail.length };
}
/** Quoting of a multipart filename as browsers do it (WHATWG HTML's multipart/form-data encoding). */
function escapeQuoted(value) {
    return value.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');
}

;// CONCATENATED MODULE: ./src/draftclip/retry-policy.ts

const DEFAULT_TIMINGS = {
    stallMs: 60_000,
    connectMs: 30_000,
    backoffBaseMs: 2_000,
    maxDelayMs: 120_000,
    rateWindowMs: 60_000,
    statusRequestMs: 60_000
};
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
/** The request provably never reached DraftClip (no connection, or a certificate refused before any byte): it cost none of the plan's requests. */
function neverReached(attempt) {
    return attempt.kind === 'no-answer' && (attempt.untrustedCertificate === true || NEVER_CONNECTED.has(attempt.code));
}
function judgeUpload(attempt) {
    return attempt.kind === 'no-answer' ? judgeNoAnswer(attempt) : judgeAnswer(attempt);
}
/** No HTTP answer came: whether DraftClip may have the video turns on how far the body got. */
function judgeNoAnswer(attempt) {
    // The handshake came before any byte of the request: certainly not taken, and permanent until the runner trusts the CA.
    if (attempt.untrustedCertificate)
        return { kind: 'untrusted', reason: untrustedReason(attempt) };
    // Whatever the error, once the whole body left, the server may have it.
    if (attempt.bodySent) {
        return { kind: 'unconfirmed', reason: `the whole video was sent but no answer came (${attempt.code}: ${attempt.message})` };
    }
    // Stopped before its last bytes (a body cut short is refused): another attempt would send a video nobody checked.
    if (attempt.code === 'FILE_CHANGED')
        return {
            kind: 'rejected',
            reason: `${attempt.message}; it was stopped before its last bytes, so DraftClip did not take it. Publish it in a run that starts once the file is final`
        };
    // Refused on this side (a header undici will not send, the file gone or unreadable): nothing to retry.
    if (LOCAL_FAILURES.has(attempt.code))
        return { kind: 'rejected', reason: `could not be sent: ${attempt.message}` };
    if (neverReached(attempt)) {
        return {
            kind: 'retry',
            reason: `could not connect to ${attempt.origin} (${attempt.code})`,
            retryAfter: undefined,
            rateLimited: false,
            unreachable: true
        };
    }
    const what = attempt.stalled ? 'the upload stalled (no bytes moved)' : `the connection broke (${attempt.code})`;
    return { kind: 'retry', reason: `${what} before the whole video was sent`, retryAfter: undefined, rateLimited: false };
}
/** An HTTP answer came: its status and DraftClip's JSON decide. */
function judgeAnswer(attempt) {
    const { httpStatus, json } = attempt;
    const said = serverError(json);
    const quoted = said
        ? `: ${oneLine(said)}`
        : json === undefined
            ? ` (the answer was not JSON${attempt.text ? `: ${oneLine(attempt.text)}` : ''})`
            : '';
    const reason = `DraftClip answered HTTP ${httpStatus}${quoted}`;
    const ok = httpStatus >= 200 && httpStatus < 300;
    const accepted = ok ? acceptedUpload(json) : undefined;
    if (accepted)
        return { kind: 'accepted', ...accepted };
    const answer = uploadAnswer(json, attempt.text);
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
            reason: json === undefined ? reason : `DraftClip answered HTTP ${httpStatus} without a publish_id${said ? `: ${oneLine(said)}` : ''}`
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
    // A redirect after the whole video (Post/Redirect/Get) may follow a publish; it is never followed with the key.
    if (httpStatus >= 300 && httpStatus < 400) {
        if (attempt.bodySent)
            return { kind: 'unconfirmed', reason: `${reason}, a redirect after the whole video was sent` };
        return { kind: 'rejected', reason: `${reason}, a redirect before the whole video was sent` };
    }
    if (httpStatus >= 300 && httpStatus < 500)
        return { kind: 'rejected', reason };
    // 502, 504, a 5xx page from a proxy: the server behind it may have published.
    return { kind: 'unconfirmed', reason };
}
/** What to say when the runner refused the host's certificate, and how to let it trust a private CA. */
function untrustedReason(attempt) {
    return (`this runner does not trust the TLS certificate of ${attempt.origin} (${attempt.code}: ${attempt.message}), so nothing was sent. ` +
        'If a proxy inspects HTTPS on this runner, or the host uses a private CA, give Node that CA: set NODE_EXTRA_CA_CERTS ' +
        "to the path of its PEM file in the job's env. Check the base-url's host name too");
}
/** Status requests are GETs: anything but a readable status, an unknown id, a 401 or a refused certificate is worth asking again. */
function judgeStatus(attempt, publishId) {
    if (attempt.kind === 'no-answer') {
        if (attempt.untrustedCertificate)
            return { kind: 'untrusted', reason: untrustedReason(attempt) };
        const what = neverReached(attempt) ? `could not connect to ${attempt.origin} (${attempt.code})` : `no answer (${attempt.code})`;
        return { kind: 'transient', reason: what, retryAfter: undefined };
    }
    const said = serverError(attempt.json);
    const reason = `HTTP ${attempt.httpStatus}${said ? `: ${oneLine(said)}` : attempt.json === undefined ? ' (not JSON)' : ''}`;
    if (attempt.httpStatus === 401)
        return { kind: 'unauthorized', reason };
    if (attempt.httpStatus === 400 || attempt.httpStatus === 404)
        return { kind: 'unknown', reason };
    if (attempt.httpStatus === 200 && aboutAnotherVideo(attempt.json, publishId)) {
        return { kind: 'transient', reason: 'the answer was about another publish id', retryAfter: undefined };
    }
    const status = attempt.httpStatus === 200 ? readStatus(attempt.json, publishId) : undefined;
    if (status)
        return { kind: 'status', status };
    // A 429 is judged with every status request of the run (judgeRateLimit, in the poll budget).
    if (attempt.httpStatus === 429)
        return { kind: 'transient', reason, retryAfter: attempt.retryAfter, rateLimited: true };
    return { kind: 'transient', reason, retryAfter: attempt.httpStatus === 503 ? attempt.retryAfter : undefined };
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
/**
 * A 429, for every request of its kind at once (uploads, or status requests).
 * A short ask (up to maxDelayMs), or none (one rate window), is waited out
 * once; an ask longer than that, or a 429 for a request sent after such a wait
 * ended, means the quota is spent: another request would only be refused
 * again, and each refused one is a request of the month's plan.
 * `heldUntil`: the end of the wait already decided, if any (undefined once a
 * request after it went through).
 */
function judgeRateLimit(asked, heldUntil, timings) {
    const askedMs = parseRetryAfter(asked.retryAfter, asked.now);
    const resetsAt = askedMs === undefined ? undefined : asked.now + askedMs;
    if (askedMs !== undefined && askedMs > timings.maxDelayMs)
        return { kind: 'spent', resetsAt };
    if (heldUntil !== undefined && asked.sentAt >= heldUntil)
        return { kind: 'spent', resetsAt };
    return { kind: 'wait', until: Math.max(heldUntil ?? -Infinity, asked.now + (askedMs ?? timings.rateWindowMs)) };
}
/** What a spent quota's message says of its end: the time the server gave, if it gave one. */
function quotaResets(resetsAt) {
    return resetsAt === undefined
        ? 'DraftClip did not say when it resets'
        : `DraftClip says it resets at ${new Date(resetsAt).toISOString().replace(/\.\d{3}Z$/, 'Z')}`;
}
/** Server text as one short line for a message (it is scrubbed of the key before it gets here). */
function oneLine(text) {
    const flat = text
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
    return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}

;// CONCATENATED MODULE: ./src/draftclip/client.ts





const USER_AGENT = 'draftclip-publish (GitHub Action)';
const MAX_ANSWER_BYTES = 1024 * 1024;
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
        this.dispatcher = options.useProxy ? new undici.EnvHttpProxyAgent(agentOptions) : new undici.Agent(agentOptions);
    }
    async upload(video) {
        const { boundary, head, tail, length } = multipartFrame(video);
        const controller = new AbortController();
        let bodySent = false;
        let stalled = false;
        /** The last bytes (the closing boundary) were handed over, or held back by a cancelled job: never both. */
        let last = 'pending';
        const holdBack = () => {
            if (last !== 'pending')
                return;
            last = 'held';
            video.onHeldBack?.();
            controller.abort();
        };
        if (video.signal?.aborted)
            holdBack();
        video.signal?.addEventListener('abort', holdBack, { once: true });
        const stallTimer = setTimeout(() => {
            stalled = true;
            controller.abort();
        }, this.options.stallMs);
        stallTimer.unref();
        async function* body() {
            yield head;
            for await (const sent of video.chunks()) {
                // Each resume means the socket took the previous chunk.
                stallTimer.refresh();
                video.onProgress?.(sent.total);
                yield sent.chunk;
            }
            // A cancelled job holds them back: without them no server takes the body, whatever it got before.
            if (last === 'held')
                return;
            last = 'handed';
            yield tail;
            bodySent = true;
            clearTimeout(stallTimer);
        }
        const url = endpoint(this.options.baseUrl, 'upload.php');
        try {
            const response = await (0,undici.request)(url, {
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
            // An answer may come before the body is all out (an early 401, a redirect): note which.
            const sentBeforeAnswer = bodySent;
            return { ...(await readAnswer(response)), bodySent: sentBeforeAnswer };
        }
        catch (error) {
            const held = last === 'held' ? Object.assign(new Error('the job was cancelled before the last bytes left'), { code: 'CANCELLED' }) : error;
            return noAnswer(held, bodySent, stalled, url);
        }
        finally {
            clearTimeout(stallTimer);
            video.signal?.removeEventListener('abort', holdBack);
        }
    }
    async status(publishId, timeoutMs, signal) {
        const url = endpoint(this.options.baseUrl, 'video_status.php');
        url.searchParams.set('publish_id', publishId);
        const timeout = AbortSignal.timeout(Math.max(1, timeoutMs));
        try {
            const response = await (0,undici.request)(url, {
                method: 'GET',
                dispatcher: this.dispatcher,
                signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
                headers: { authorization: `Bearer ${this.options.apiKey}`, accept: 'application/json', 'user-agent': USER_AGENT }
            });
            return { ...(await readAnswer(response)), bodySent: true };
        }
        catch (error) {
            const timedOut = timeout.aborted && !signal?.aborted;
            return noAnswer(timedOut ? Object.assign(new Error('no answer in time'), { code: 'TIMEOUT' }) : error, true, false, url);
        }
    }
    async close() {
        await this.dispatcher.close();
    }
}
async function readAnswer(response) {
    const body = await readBody(response.body, response.headers['content-encoding'], MAX_ANSWER_BYTES);
    // Not JSON, and said so: the message shows why instead of compressed bytes.
    const text = body.undecodable ? `(an answer encoded as ${body.encoding} that could not be decoded)` : body.text;
    const retryAfter = response.headers['retry-after'];
    return {
        kind: 'answer',
        httpStatus: response.statusCode,
        json: parseBody(text),
        text,
        retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter
    };
}
/**
 * OpenSSL's verdicts on a certificate chain, as Node reports them (and Node's own for a
 * name the certificate does not cover): the runner refused the host's certificate.
 */
const CERTIFICATE_REFUSED = new Set([
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'CERT_HAS_EXPIRED',
    'CERT_NOT_YET_VALID',
    'CERT_REVOKED',
    'CERT_UNTRUSTED',
    'CERT_REJECTED',
    'CERT_SIGNATURE_FAILURE',
    'CERT_CHAIN_TOO_LONG',
    'INVALID_CA',
    'INVALID_PURPOSE',
    'HOSTNAME_MISMATCH',
    'ERR_TLS_CERT_ALTNAME_INVALID'
]);
function noAnswer(error, bodySent, stalled, url) {
    const err = error;
    const code = err.cause?.code ?? err.code ?? 'UNKNOWN';
    const message = stalled ? 'the upload stalled: no bytes moved' : (err.cause?.message ?? err.message ?? String(error));
    const answer = { kind: 'no-answer', code: stalled ? 'STALLED' : code, message, bodySent, stalled, origin: url.origin };
    if (!stalled && CERTIFICATE_REFUSED.has(code))
        answer.untrustedCertificate = true;
    return answer;
}
/**
 * `client`, counting into `count` every request it sends (retries and failed
 * polls included), as it leaves; one that comes back having never reached
 * DraftClip moves to `unreached`.
 */
function counting(client, count) {
    const judged = (kind) => (attempt) => {
        if (neverReached(attempt)) {
            count[kind]--;
            count.unreached = (count.unreached ?? 0) + 1;
        }
        return attempt;
    };
    return {
        upload: video => {
            count.upload++;
            return client.upload(video).then(judged('upload'));
        },
        status: (publishId, timeoutMs, signal) => {
            // A request whose run was already cancelled never leaves.
            if (signal?.aborted)
                return client.status(publishId, timeoutMs, signal);
            count.status++;
            return client.status(publishId, timeoutMs, signal).then(judged('status'));
        },
        close: () => client.close()
    };
}

;// CONCATENATED MODULE: ./src/draftclip/clock.ts
/** The callbacks waiting on each signal, behind the one listener that signal gets from here. */
const waiting = new WeakMap();
/**
 * Calls `onAbort` once when `signal` aborts; the returned function forgets it.
 * Every waiting video shares the run's one signal: a listener per sleep (Node 20
 * warns past 10) would pile up. Here a signal gets one listener, removed as
 * soon as nothing waits on it.
 */
function whenAborted(signal, onAbort) {
    let waiters = waiting.get(signal);
    if (!waiters) {
        const callbacks = new Set();
        const fire = () => {
            waiting.delete(signal);
            for (const callback of callbacks)
                callback();
        };
        waiters = { callbacks, fire };
        waiting.set(signal, waiters);
        signal.addEventListener('abort', fire, { once: true });
    }
    const mine = waiters;
    const { callbacks, fire } = mine;
    callbacks.add(onAbort);
    return () => {
        if (!callbacks.delete(onAbort) || callbacks.size > 0 || waiting.get(signal) !== mine)
            return;
        waiting.delete(signal);
        signal.removeEventListener('abort', fire);
    };
}
const realClock = {
    now: () => Date.now(),
    sleep: (ms, signal) => new Promise(resolve => {
        if (signal?.aborted)
            return resolve();
        const done = () => {
            clearTimeout(timer);
            forget?.();
            resolve();
        };
        const timer = setTimeout(done, ms);
        const forget = signal ? whenAborted(signal, done) : undefined;
    }),
    random: () => Math.random()
};

;// CONCATENATED MODULE: ./src/draftclip/rate-window.ts

/**
 * What a run knows of one endpoint's 429s: the end of the rate window it waits out, until a
 * request sent after it is answered otherwise, and why the quota is spent once it is. The rule is
 * judgeRateLimit's; the uploads' gate and the polls' budget each keep one of these.
 */
class RateWindow {
    clock;
    timings;
    heldUntil;
    spentReason;
    constructor(clock, timings) {
        this.clock = clock;
        this.timings = timings;
    }
    /** The end of the window being waited out, if one is. */
    get until() {
        return this.heldUntil;
    }
    /** Why no request may go any more this run (the quota is spent), if so. */
    get spent() {
        return this.spentReason;
    }
    /** A 429 answered the request sent at `sentAt`: a window to wait out, or the quota spent (said by `spentReason`, the first time). */
    limited(retryAfter, sentAt, spentReason) {
        const verdict = judgeRateLimit({ retryAfter, sentAt, now: this.clock.now() }, this.heldUntil, this.timings);
        if (verdict.kind === 'wait')
            this.heldUntil = verdict.until;
        else
            this.spentReason ??= spentReason(verdict.resetsAt);
        return verdict;
    }
    /** Anything but a 429 answered the request sent at `sentAt`: a window it was sent after is over. */
    passed(sentAt) {
        if (this.heldUntil !== undefined && sentAt >= this.heldUntil)
            this.heldUntil = undefined;
    }
}

;// CONCATENATED MODULE: ./src/draftclip/poll-budget.ts



/**
 * The run's status requests share one budget: at most `perMinute` a minute,
 * spaced evenly, taken in turn by the videos that wait (first come, first
 * served), and all held while the server's Retry-After runs.
 */
class PollBudget {
    perMinute;
    clock;
    spacingMs;
    last = -Infinity;
    heldUntil = -Infinity;
    queue = [];
    pumping = false;
    /** What the run knows of the status endpoint's 429s. */
    window;
    constructor(perMinute, clock, limits = DEFAULT_TIMINGS) {
        this.perMinute = perMinute;
        this.clock = clock;
        this.spacingMs = 60_000 / perMinute;
        this.window = new RateWindow(clock, limits);
    }
    /** Why no status request may go any more this run (the status quota is spent), if so. */
    get spent() {
        return this.window.spent;
    }
    /** Resolves true when a status request may be sent now; false when `deadline` (or `signal`) comes first, or the quota is spent. */
    take(deadline, signal) {
        if (this.window.spent !== undefined)
            return Promise.resolve(false);
        return new Promise(resolve => {
            const giveUp = new AbortController();
            const turn = { deadline, granted: resolve, done: false, giveUp };
            this.queue.push(turn);
            const stop = () => {
                giveUp.abort();
                if (turn.done)
                    return;
                turn.done = true;
                resolve(false);
            };
            // Forgotten once the turn ends, whichever way: a listener left per poll would pile up on the run's signal.
            const forget = signal ? whenAborted(signal, stop) : undefined;
            void this.clock
                .sleep(Math.max(0, deadline - this.clock.now()), giveUp.signal)
                .then(stop)
                .finally(forget);
            void this.pump();
        });
    }
    /** The server asked for a pause (Retry-After on a status answer): no poll of any video before `until`. */
    holdUntil(until) {
        this.heldUntil = Math.max(this.heldUntil, until);
    }
    /**
     * A 429 answered the status request sent at `sentAt`: a rate window holds
     * every poll of the run once; a long ask, or another 429 after the wait,
     * means the status quota is spent and every waiting poll ends.
     */
    limited(retryAfter, sentAt, said) {
        const verdict = this.window.limited(retryAfter, sentAt, resetsAt => `${said}: the account's status quota is spent (${quotaResets(resetsAt)}), so no further status request is sent this run`);
        if (verdict.kind === 'wait') {
            this.holdUntil(verdict.until);
            return;
        }
        for (const turn of this.queue)
            turn.giveUp.abort();
    }
    /** Anything but a 429 answered the status request sent at `sentAt`: a rate window it was sent after is over. */
    passed(sentAt) {
        this.window.passed(sentAt);
    }
    /** When the next request may go. */
    nextSlot() {
        return Math.max(this.last + this.spacingMs, this.heldUntil);
    }
    async pump() {
        if (this.pumping)
            return;
        this.pumping = true;
        try {
            while (this.queue.length > 0) {
                const turn = this.queue[0];
                if (turn.done) {
                    this.queue.shift();
                    continue;
                }
                const wait = this.nextSlot() - this.clock.now();
                if (wait > 0) {
                    await this.clock.sleep(Math.min(wait, Math.max(0, turn.deadline - this.clock.now()) + 1));
                    continue;
                }
                this.queue.shift();
                turn.done = true;
                this.last = this.clock.now();
                turn.giveUp.abort();
                turn.granted(true);
            }
        }
        finally {
            this.pumping = false;
        }
    }
}

;// CONCATENATED MODULE: ./src/github/run-context.ts
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
        runId: context.runId,
        eventName: context.eventName ?? ''
    };
}
/** The placeholders' values and the event's name, for the captions. */
async function loadRunInfo(env) {
    const ctx = await loadRunContext(env);
    return { vars: runVars(ctx), event: ctx.eventName };
}

;// CONCATENATED MODULE: ./src/publish/calendar.ts
function applyCalendar(admissions, videos, now, maxUploads) {
    const out = [...admissions];
    const due = [];
    admissions.forEach((admission, i) => {
        if (admission.kind !== 'upload')
            return;
        const at = videos[i].publishAt;
        if (at !== undefined && at > now)
            out[i] = { kind: 'scheduled', at };
        else
            due.push(i);
    });
    if (maxUploads === undefined)
        return out;
    due.sort((a, b) => dueOrder(videos[a], videos[b]));
    for (const i of due.slice(maxUploads)) {
        out[i] = { kind: 'queued', reason: `max-uploads (${maxUploads}) is reached for this run; a later run publishes it` };
    }
    return out;
}
/** Earliest publish_at first (none counts as earliest), then by path in plain UTF-16 order. */
function dueOrder(a, b) {
    const at = (v) => v.publishAt ?? -Infinity;
    if (at(a) !== at(b))
        return at(a) < at(b) ? -1 : 1;
    return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

;// CONCATENATED MODULE: ./src/publish/lifecycle.ts

/**
 * The one rule for a video's entry: the run, the dry run and the plan all call
 * it. `privacyLevel`: the video's today, which says whether a PUBLISH_COMPLETE entry
 * without a post ID still has one to learn, where the entry does not keep the
 * privacy it was published with (a ledger older than that field).
 * `busy`: see busyWith.
 */
function decideAdmission(entry, twinOf, wait, privacyLevel, busy) {
    if (twinOf !== undefined)
        return { kind: 'twin', of: twinOf };
    if (!entry)
        return { kind: 'upload' };
    if (busy)
        return { kind: 'busy', ...busy };
    // TikTok refused it: publishing it again is a new attempt, not a duplicate.
    if (entry.status === model_status/* Status */.nW.Failed)
        return { kind: 'upload' };
    if (entry.status === model_status/* Status */.nW.Uploading || entry.status === model_status/* Status */.nW.Unconfirmed) {
        return entry.publish_id ? { kind: 'confirm', entry: { ...entry, publish_id: entry.publish_id } } : { kind: 'unconfirmed', entry };
    }
    // DraftClip took it (published, in the inbox, or still processing): never again.
    if (entry.publish_id) {
        const pending = outcomePending(entry, privacyLevel);
        return pending && !wait ? { kind: 'skip', entry, follow: false, askOnce: true } : { kind: 'skip', entry, follow: pending };
    }
    return { kind: 'unconfirmed', entry };
}
/** An earlier run's upload with more to learn (still processing, a public post without its post ID). */
function outcomePending(entry, privacyLevel) {
    const seen = { status: entry.status, isComplete: (0,model_status/* isFinalStatus */.$T)(entry.status), postId: entry.post_id };
    return !(0,model_status/* isSettled */.Is)(seen, publishedWith(entry, privacyLevel));
}
/** The privacy a video was published with: its entry's, not today's input or sidecar (only a public post gets a post ID). */
const publishedWith = (entry, today) => entry.privacy_level ?? today;
/** GitHub ends a job after 6 hours: an upload entry older than that belongs to no run still going. */
const JOB_LIMIT_MS = 6 * 3600 * 1000;
/**
 * The run to ask GitHub about before admitting a video: the writer of an UPLOADING entry,
 * when that is another run. An earlier attempt of this run is not asked about: attempts never overlap.
 */
function runToAsk(entry, self) {
    if (!entry || !self || entry.status !== model_status/* Status */.nW.Uploading || typeof entry.run_id !== 'string' || entry.run_id === '')
        return undefined;
    return entry.run_id === self.id ? undefined : entry.run_id;
}
/** Another job of this very run and attempt (a matrix sibling) wrote the UPLOADING entry: it is at it now. */
function siblingJob(entry, self) {
    if (!entry || !self?.writer || entry.status !== model_status/* Status */.nW.Uploading || entry.run_id !== self.id)
        return false;
    return (entry.run_attempt ?? 1) === self.attempt && typeof entry.writer === 'string' && entry.writer !== self.writer;
}
/**
 * Whether another run is (or may still be) uploading the video: then this run leaves it alone
 * (SKIPPED), where a finished run's UPLOADING entry is UNCONFIRMED as ever.
 */
function busyWith(entry, self, state, now) {
    if (siblingJob(entry, self))
        return {
            run: self.id,
            note: `another job of this run (run ${self.id}, attempt ${self.attempt}) is uploading it; this job left it to that one`
        };
    const run = runToAsk(entry, self);
    if (run === undefined || state === undefined || state === 'completed')
        return undefined;
    if (state === 'in_progress')
        return { run, note: `run ${run} (still in progress) is uploading it; this run left it to that one` };
    const age = now - Date.parse(entry.updated_at);
    if (!(age >= 0 && age < JOB_LIMIT_MS))
        return undefined;
    return {
        run,
        note: `run ${run} started uploading it ${Math.max(1, Math.round(age / 60000))} min ago and may still be at it: ` +
            `this job may not ask GitHub about runs (grant 'actions: read'), so an upload younger than GitHub's 6-hour job limit counts as in progress`
    };
}
function initialResult(video) {
    return {
        file: video.file,
        size: video.size,
        publish_id: null,
        status: model_status/* Status */.nW.NotAttempted,
        post_id: null,
        error: null,
        fail_reason: null,
        description: video.description,
        privacy_level: video.privacyLevel,
        sha256: video.sha256 ?? null,
        publish_at: video.publishAt === undefined ? null : new Date(video.publishAt).toISOString(),
        media: video.media ?? null,
        warnings: video.warnings ?? []
    };
}
/** The sentence that tells a user how to let a later run publish a video the ledger holds back. */
function releaseEntryHint(ledgerFile, hash) {
    return `If it is not on TikTok (check the account and DraftClip's dashboard), delete the entry "${hash}" from ${ledgerFile} and run again.`;
}
const hintFor = (ref) => (ref ? ` ${releaseEntryHint(ref.shownAs, ref.hash)}` : '');
/** The run's first step for a video: what its admission makes of it. */
function admitted(r, admission, ref) {
    switch (admission.kind) {
        case 'upload':
            return { result: r };
        case 'twin':
            return {
                result: { ...r, status: model_status/* Status */.nW.Skipped },
                log: { level: 'info', line: `same content as ${admission.of}; skipped so TikTok does not get it twice` }
            };
        case 'skip': {
            const { entry } = admission;
            return {
                result: {
                    ...r,
                    status: model_status/* Status */.nW.Skipped,
                    publish_id: entry.publish_id,
                    post_id: entry.post_id,
                    fail_reason: entry.fail_reason ?? null,
                    privacy_level: publishedWith(entry, r.privacy_level)
                },
                log: { level: 'info', line: `${skippedAs(entry, r.privacy_level)}; not uploaded again` }
            };
        }
        case 'confirm': {
            const { entry } = admission;
            return {
                result: {
                    ...r,
                    status: model_status/* Status */.nW.Unconfirmed,
                    publish_id: entry.publish_id,
                    post_id: entry.post_id,
                    privacy_level: publishedWith(entry, r.privacy_level),
                    error: `an earlier run (${entry.updated_at}) uploaded it and got publish ID ${entry.publish_id}, but no status answer has confirmed it; it was not uploaded again.${hintFor(ref)}`
                },
                log: { level: 'info', line: `the ledger holds publish ID ${entry.publish_id} unconfirmed; asking DraftClip about it` }
            };
        }
        case 'scheduled':
            return {
                result: { ...r, status: model_status/* Status */.nW.Scheduled },
                log: { level: 'info', line: `scheduled for ${new Date(admission.at).toISOString()}; a run at or after that time publishes it` }
            };
        case 'queued':
            return {
                result: { ...r, status: model_status/* Status */.nW.Queued, error: `queued: ${admission.reason}` },
                log: { level: 'info', line: `queued: ${admission.reason}` }
            };
        case 'busy':
            return { result: { ...r, status: model_status/* Status */.nW.Skipped, error: admission.note }, log: { level: 'info', line: `skipped: ${admission.note}` } };
        case 'unconfirmed': {
            const error = `an earlier run (${admission.entry.updated_at}) started uploading this video and never learned whether DraftClip took it, so it was not uploaded again.${hintFor(ref)}`;
            return {
                result: { ...r, status: model_status/* Status */.nW.Unconfirmed, privacy_level: publishedWith(admission.entry, r.privacy_level), error },
                log: { level: 'info', line: error }
            };
        }
    }
}
/** What the ledger says of a skipped video: published, or uploaded by an earlier run whose outcome is still to come. */
function skippedAs(entry, privacyLevel) {
    const said = `ledger: ${entry.status}, publish ID ${entry.publish_id}`;
    return outcomePending(entry, privacyLevel)
        ? `uploaded by an earlier run, its outcome not known yet (${said})`
        : `already published (${said})`;
}
/** A check refused it (its problems, each naming its rule): nothing of the run is sent. */
function refused(r, problems) {
    return { result: { ...r, status: model_status/* Status */.nW.Refused, error: problems.join('; ') } };
}
/** Why a video that passed every check was not sent either: the run sends nothing when any video is refused. */
const NOT_SENT_REFUSED = 'not sent: another video was refused';
/**
 * A video that passed the checks, on a run that sends nothing because
 * another was refused: what its admission makes of it (skipped, scheduled,
 * queued; a dry run's plan), and an upload is not attempted.
 */
function notSentBeside(r, admission, ref, dryRun) {
    if (dryRun)
        return planned(r, admission, ref);
    if (admission.kind === 'upload')
        return { result: { ...r, status: model_status/* Status */.nW.NotAttempted, error: NOT_SENT_REFUSED }, log: { level: 'info', line: NOT_SENT_REFUSED } };
    const step = admitted(r, admission, ref);
    // The real run asks DraftClip about the ledger's publish ID; this one sends nothing.
    if (admission.kind === 'confirm')
        return {
            ...step,
            log: {
                level: 'info',
                line: `the ledger holds publish ID ${admission.entry.publish_id} unconfirmed; not asked about: another video was refused`
            }
        };
    return step;
}
/** Warnings about it found after the board was made (a broken rule judged after the ledger, under media-check: warn). */
function warned(r, lines) {
    return { result: { ...r, warnings: [...(r.warnings ?? []), ...lines] } };
}
/** The dry run's step: what the real run would do, with nothing sent. */
function planned(r, admission, ref) {
    const step = admitted(r, admission, ref);
    const verb = {
        upload: 'would upload',
        twin: `would skip (same content as ${admission.kind === 'twin' ? admission.of : ''})`,
        skip: admission.kind === 'skip' ? plannedSkip(admission, r.privacy_level) : '',
        confirm: 'would ask DraftClip about the unconfirmed publish ID in the ledger, and not upload',
        unconfirmed: 'would not upload (an earlier upload is unconfirmed)',
        scheduled: `would wait: scheduled for ${admission.kind === 'scheduled' ? new Date(admission.at).toISOString() : ''}`,
        queued: `would leave it queued (${admission.kind === 'queued' ? admission.reason : ''})`,
        busy: `would skip (${admission.kind === 'busy' ? admission.note : ''})`
    };
    const result = admission.kind === 'upload' ? { ...step.result, status: model_status/* Status */.nW.DryRun } : step.result;
    return { result, log: { level: 'info', line: verb[admission.kind] } };
}
function plannedSkip(admission, privacyLevel) {
    if (!outcomePending(admission.entry, privacyLevel))
        return 'would skip (already published)';
    const ask = admission.askOnce ? 'ask DraftClip once for its status' : admission.follow ? 'poll its status' : 'not ask about it';
    return `would skip (uploaded by an earlier run, its outcome not known yet) and ${ask}`;
}
/** The twin's ids, once the video it copies is done. */
function twinDone(r, original) {
    // Held back with it (scheduled, queued): the twin waits too, and says why.
    if (original.status === model_status/* Status */.nW.Scheduled || original.status === model_status/* Status */.nW.Queued) {
        return {
            result: {
                ...r,
                status: original.status,
                publish_at: original.publish_at,
                error: `same content as ${original.file}, which is ${original.status}`
            }
        };
    }
    return { result: { ...r, publish_id: original.publish_id, post_id: original.post_id } };
}
/** About to send the first byte: the ledger must know first, so a runner killed mid-upload leaves a trace. */
function uploadStarting(r) {
    return { result: { ...r, status: model_status/* Status */.nW.Uploading }, ledger: { kind: 'record', entry: ledgerEntry(r, model_status/* Status */.nW.Uploading) } };
}
/** The UPLOADING entry was stored by a claim (a branch ledger shared by runs): the result follows, with nothing more to write. */
function uploadClaimed(r) {
    return { result: uploadStarting(r).result };
}
/**
 * What an upload's outcome makes of the video. `queue`: the workflow said it
 * is a queue (max-uploads), so a spent quota leaves the video QUEUED for a
 * later run instead of failing it.
 */
function uploadEnded(r, outcome, ref, queue = false, quotaSpent = false) {
    switch (outcome.kind) {
        case 'accepted': {
            const result = { ...r, status: outcome.status, publish_id: outcome.publishId };
            return {
                result,
                ledger: { kind: 'record', entry: ledgerEntry(result) },
                log: { level: 'info', line: `uploaded: publish ID ${outcome.publishId}` }
            };
        }
        case 'unconfirmed': {
            const error = `${outcome.reason}. DraftClip may have published it, so it was not sent again. ` +
                `Check the TikTok account (and DraftClip's dashboard) before publishing it again.${hintFor(ref)}`;
            const result = { ...r, status: model_status/* Status */.nW.Unconfirmed, publish_id: outcome.publishId ?? null, error };
            return { result, ledger: { kind: 'record', entry: ledgerEntry(result) }, log: { level: 'info', line: error } };
        }
        case 'stopped':
            // Every attempt so far was certainly refused: nothing stands in the way of a later run.
            if (outcome.quota)
                return notAttempted(r, quotaReason(outcome.reason), queue);
            return notAttempted(r, outcome.reason, queue && quotaSpent);
        default: {
            const result = { ...r, status: model_status/* Status */.nW.UploadFailed, error: outcome.reason };
            // DraftClip certainly did not take it: a later run may try again.
            const step = { result, ledger: { kind: 'forget' }, log: { level: 'info', line: outcome.reason } };
            if (outcome.kind === 'unauthorized') {
                step.halt = {
                    scope: 'everything',
                    reason: `DraftClip refused the API key (${outcome.reason}). Check the secret passed as 'api-key': it must be a current key from your DraftClip dashboard.`
                };
            }
            else if (outcome.kind === 'untrusted') {
                // Every request to this host fails the same way: polls too.
                step.halt = { scope: 'everything', reason: `Nothing can reach DraftClip: ${outcome.reason}.` };
            }
            else if (outcome.kind === 'unreachable') {
                // Nothing reached DraftClip: the other videos would only repeat this video's attempts. Polls go on (their own rule).
                step.halt = {
                    scope: 'uploads',
                    reason: `DraftClip could not be reached (${outcome.reason}), so no further upload was sent this run. Check 'base-url' and whether the host is up; the next run sends the videos not sent.`
                };
            }
            else if (outcome.kind === 'rate-limited') {
                step.halt = { scope: 'uploads', quota: true, reason: quotaReason(outcome.reason) };
                // Certainly not taken: in a queue it simply waits for a later run.
                if (queue)
                    step.result = { ...result, status: model_status/* Status */.nW.Queued, error: `queued: ${outcome.reason}` };
            }
            return step;
        }
    }
}
/** Uploads stopped before this video was sent (a refused key, a spent quota, a cancelled job). */
function notAttempted(r, reason, queued = false) {
    const result = queued
        ? { ...r, status: model_status/* Status */.nW.Queued, error: `queued: ${reason}` }
        : { ...r, status: model_status/* Status */.nW.NotAttempted, error: `not attempted: ${reason}` };
    // Every attempt so far was certainly refused: nothing stands in the way of a later run.
    return { result, ledger: r.status === model_status/* Status */.nW.Uploading ? { kind: 'forget' } : undefined };
}
/**
 * The ledger could not record UPLOADING (a full disk, an unwritable file), so
 * not a byte was sent: the video was not attempted, and no upload may start
 * while the ledger cannot say one is under way.
 */
function ledgerUnwritable(r, problem) {
    return {
        ...notAttempted(r, problem),
        halt: { scope: 'uploads', reason: `${problem} No upload was started after that.` },
        log: { level: 'warn', line: `not uploaded: ${problem}` }
    };
}
/** GitHub refused the run's first deployment (deployment-environment): not a byte was sent, and no upload starts after that. */
function deploymentRefused(r, problem) {
    return {
        ...notAttempted(r, problem),
        halt: { scope: 'uploads', reason: problem },
        log: { level: 'warn', line: `not uploaded: ${problem}` }
    };
}
/** TikTok's daily cap, as DraftClip passes it on. */
const DAILY_CAP_REASON = 'spam_risk_too_many_posts';
function quotaReason(said) {
    return `DraftClip's quota is used up (${said}); the remaining videos were not sent, and the next run picks them up. TikTok allows about 15 posts a day per account.`;
}
/**
 * A status answer about the video's publish id. `earlier` when the upload was
 * an earlier run's (the video stays SKIPPED unless TikTok refused it).
 */
function statusSeen(r, status, earlier, queue = false) {
    const seen = { post_id: status.postId ?? r.post_id, fail_reason: status.failReason ?? null };
    const confirmed = r.status === model_status/* Status */.nW.Unconfirmed;
    let result;
    if (!earlier)
        result = { ...r, ...seen, status: status.status, error: confirmed ? null : r.error };
    else if (status.status === model_status/* Status */.nW.Failed) {
        // Not a skip after all: the video is not on TikTok, and the step must say so.
        result = {
            ...r,
            ...seen,
            status: model_status/* Status */.nW.Failed,
            error: `the upload an earlier run made (publish ID ${r.publish_id}) ended FAILED: ${status.failReason ?? 'no reason given'}; the next run will publish it again`
        };
    }
    else
        result = { ...r, ...seen, status: model_status/* Status */.nW.Skipped, error: null };
    const step = { result, ledger: { kind: 'record', entry: ledgerEntry(result, status.status) } };
    if (confirmed)
        step.log = { level: 'info', line: `DraftClip confirmed publish ID ${r.publish_id}: ${status.status}` };
    if (status.status === model_status/* Status */.nW.Failed) {
        step.result = { ...step.result, error: step.result.error ?? `TikTok could not publish it: ${status.failReason ?? 'no reason given'}` };
        step.log = { level: 'info', line: step.result.error };
    }
    if (!earlier && status.status === model_status/* Status */.nW.Failed && status.failReason === DAILY_CAP_REASON) {
        // The account's daily cap: the next uploads would be refused too. The ledger keeps FAILED, so a later run publishes it again.
        step.halt = { scope: 'uploads', quota: true, reason: quotaReason(`TikTok: ${DAILY_CAP_REASON}`) };
        if (queue)
            step.result = {
                ...step.result,
                status: model_status/* Status */.nW.Queued,
                error: `queued: TikTok's daily cap is reached (${DAILY_CAP_REASON}); a later run publishes it again`
            };
    }
    return step;
}
/**
 * wait: false asked once about an upload an earlier run left with more to
 * learn: a status is seen as any other (FAILED is reported, and the next run
 * publishes it again); no answer leaves it SKIPPED for a later run to ask.
 */
function askedOnce(r, answer, queue = false) {
    switch (answer.kind) {
        case 'status': {
            const step = statusSeen(r, answer.status, true, queue);
            const { status, postId } = answer.status;
            const more = (0,model_status/* isSettled */.Is)({ ...answer.status, postId: postId ?? r.post_id }, r.privacy_level) ? '' : '; a later run asks again';
            return {
                ...step,
                log: step.log ?? { level: 'info', line: `asked once (wait: false): ${status}${postId ? `, post ID ${postId}` : ''}${more}` }
            };
        }
        case 'unauthorized':
        case 'untrusted':
            return waitEnded(r, { ...answer, status: undefined }, 0);
        default:
            return { result: r, log: { level: 'info', line: `its status was not learned (${answer.reason}); a later run asks again` } };
    }
}
/** How a wait ended, for a video that was not complete. */
function waitEnded(r, outcome, waitSeconds) {
    switch (outcome.kind) {
        case 'timeout': {
            const seen = outcome.status ? `its last status was ${outcome.status.status}` : 'no status was read';
            const problem = outcome.lastProblem ? ` (the last status request failed: ${outcome.lastProblem})` : '';
            if (r.status === model_status/* Status */.nW.Unconfirmed) {
                return {
                    result: r,
                    log: {
                        level: 'warn',
                        line: `DraftClip did not confirm publish ID ${r.publish_id} within ${waitSeconds} s${problem}; it stays UNCONFIRMED`
                    }
                };
            }
            if (outcome.status?.status === model_status/* Status */.nW.PublishComplete) {
                // Only a public video's wait ends here (isSettled ends a private one at PUBLISH_COMPLETE), and that
                // is normal: TikTok gives its post ID after moderation, sometimes hours later.
                return {
                    result: r,
                    log: {
                        level: 'info',
                        line: `published (PUBLISH_COMPLETE, publish ID ${r.publish_id}); TikTok gives its post ID after moderation, which had not ended after ${waitSeconds} s${problem}. A later run with a ledger learns it.`
                    }
                };
            }
            const line = `still not complete after ${waitSeconds} s: ${seen}${problem}. It was uploaded (publish ID ${r.publish_id}); TikTok may still publish it.`;
            // DraftClip could not be reached at the end: the outputs say so, not only the log (how it ended is not known).
            if (outcome.unreachable)
                return { result: { ...r, error: `${line} A later run with a ledger learns how it ended.` }, log: { level: 'warn', line } };
            return { result: r, log: { level: 'warn', line } };
        }
        case 'spent': {
            // Taken by DraftClip, but how it ends is not known: the step does not fail for it (a re-run without a ledger would post it twice).
            const line = `its status could not be read: ${outcome.reason}. It was uploaded (publish ID ${r.publish_id}); how it ended is not known. A later run with a ledger learns it.`;
            return { result: { ...r, error: [r.error, line].filter(Boolean).join(' ') }, log: { level: 'warn', line } };
        }
        case 'unknown':
            return {
                result: {
                    ...r,
                    error: `${r.error ?? ''} DraftClip's status endpoint does not know publish ID ${r.publish_id} (${outcome.reason}).`.trim()
                },
                log: { level: 'info', line: `DraftClip does not know publish ID ${r.publish_id} (${outcome.reason}); it stays UNCONFIRMED` }
            };
        case 'unauthorized':
            return {
                result: r,
                halt: {
                    scope: 'everything',
                    reason: `DraftClip refused the API key while polling (${outcome.reason}). Check the secret passed as 'api-key'.`
                }
            };
        case 'untrusted':
            return { result: r, halt: { scope: 'everything', reason: `Nothing can reach DraftClip: ${outcome.reason}.` } };
        default:
            return { result: r };
    }
}
/**
 * The run ended under the video (a cancelled job): the one rule, for the run
 * and the signal handler alike. Its last bytes never left: not sent, and the
 * ledger lets it go, as after a reset before the body finished. They may have
 * left: UNCONFIRMED, in the ledger as in the results.
 */
function interrupted(r, why, ref, reach = 'may-have-left') {
    if (r.status !== model_status/* Status */.nW.Uploading)
        return { result: r };
    if (reach === 'none-out')
        return notAttempted(r, why);
    if (reach === 'held-back') {
        const error = `not sent: ${why} before the whole video was sent, so DraftClip did not take it; a later run uploads it`;
        return { result: { ...r, status: model_status/* Status */.nW.NotAttempted, error }, ledger: { kind: 'forget' }, log: { level: 'info', line: error } };
    }
    const result = {
        ...r,
        status: model_status/* Status */.nW.Unconfirmed,
        error: `${why} during its upload; DraftClip may or may not have taken it. Check the TikTok account before publishing it again.${hintFor(ref)}`
    };
    return { result, ledger: { kind: 'record', entry: ledgerEntry(result) } };
}
/** An unexpected failure (the ledger could not be written: a full disk) while the video was in hand. */
function crashed(r, message) {
    const error = [r.error, message].filter(Boolean).join('; ');
    if (r.status === model_status/* Status */.nW.Uploading)
        return { result: { ...r, status: model_status/* Status */.nW.Unconfirmed, error } };
    const mayBeTaken = r.publish_id !== null || r.status === model_status/* Status */.nW.Unconfirmed;
    return { result: { ...r, status: mayBeTaken ? r.status : model_status/* Status */.nW.UploadFailed, error } };
}
function ledgerEntry(r, status = r.status) {
    return { file: r.file, status, publish_id: r.publish_id, post_id: r.post_id, fail_reason: r.fail_reason, privacy_level: r.privacy_level };
}

;// CONCATENATED MODULE: ./src/publish/twins.ts
/**
 * Two files with the same bytes are one video: TikTok must not get it twice.
 * Only files of equal size can be twins, so without a ledger only those are
 * hashed; with one, every file is (the ledger is keyed by content).
 */
/** The paths whose content must be hashed. */
function pathsToHash(videos, ledger) {
    if (ledger)
        return videos.map(v => v.path);
    const bySize = new Map();
    for (const v of videos)
        bySize.set(v.size, (bySize.get(v.size) ?? 0) + 1);
    return videos.filter(v => bySize.get(v.size) > 1).map(v => v.path);
}
/** For each video, the index of the first earlier video with the same content, if any. */
function twinIndexes(hashes) {
    const firstOf = new Map();
    return hashes.map((hash, i) => {
        if (hash === undefined)
            return undefined;
        const first = firstOf.get(hash);
        if (first === undefined)
            firstOf.set(hash, i);
        return first;
    });
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
;// CONCATENATED MODULE: ./src/ledger/format.ts
const EMPTY = { version: 1, videos: {} };
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
        if (entry.privacy_level !== undefined && typeof entry.privacy_level !== 'string') {
            throw new LedgerError(file, `has an entry for ${hash} whose privacy_level is not a string`);
        }
    }
    return data;
}
const ENTRY_KEYS = ['file', 'status', 'publish_id', 'post_id', 'fail_reason', 'updated_at', 'run_id', 'run_attempt', 'writer'];
/**
 * A ledger's bytes, kept between writes: the keys, sorted, in buckets by their first two characters
 * (256 for SHA-256s), each with its entries' bytes. A change makes one bucket anew and a write copies
 * the buckets, not thousands of entries (a 2,000-video run writes the file 2,000 times).
 */
class LedgerText {
    /** Each entry's lines, made once until the entry changes. */
    serialized = new Map();
    /** Made on the first write. */
    buckets;
    prefixes = [];
    /** The bytes of the last write, reused: writes never overlap, and a fresh 500 KB per write is garbage for the GC. */
    scratch = Buffer.alloc(0);
    /** The whole document changed (a merge): everything is made anew on the next write. */
    reset() {
        this.serialized.clear();
        this.buckets = undefined;
    }
    /** An entry set or gone: its text and its bucket's bytes are made anew on the next write. */
    changed(hash, present) {
        this.serialized.delete(hash);
        if (!this.buckets)
            return;
        const bucket = this.bucket(hash);
        bucket.text = undefined;
        const at = sortedIndex(bucket.keys, hash);
        const there = bucket.keys[at] === hash;
        if (present && !there)
            bucket.keys.splice(at, 0, hash);
        if (!present && there)
            bucket.keys.splice(at, 1);
    }
    bucket(hash) {
        const prefix = hash.slice(0, 2);
        let bucket = this.buckets.get(prefix);
        if (!bucket) {
            bucket = { keys: [], text: undefined, bytes: 0 };
            this.buckets.set(prefix, bucket);
            this.prefixes.splice(sortedIndex(this.prefixes, prefix), 0, prefix);
        }
        return bucket;
    }
    /** The ledger's bytes (in the reused scratch buffer): keys sorted, each entry serialized once until it changes. */
    bytes(data) {
        if (!this.buckets) {
            this.buckets = new Map();
            this.prefixes = [];
            for (const hash of Object.keys(data.videos).sort())
                this.bucket(hash).keys.push(hash);
        }
        let at = 0;
        // Text is encoded straight into the scratch buffer: no Buffer per write or per bucket for the GC to find late.
        const put = (text, bytes = Buffer.byteLength(text)) => {
            if (at + bytes > this.scratch.length) {
                const grown = Buffer.allocUnsafeSlow(Math.max(at + bytes, 2 * this.scratch.length, 64 * 1024));
                this.scratch.copy(grown, 0, 0, at);
                this.scratch = grown;
            }
            at += this.scratch.write(text, at);
        };
        put('{\n  "version": 1,\n  "videos": ');
        let entries = false;
        for (const prefix of this.prefixes) {
            const bucket = this.buckets.get(prefix);
            if (bucket.keys.length === 0)
                continue;
            if (bucket.text === undefined) {
                bucket.text = bucket.keys.map(hash => this.entryText(hash, data.videos[hash])).join(',\n');
                bucket.bytes = Buffer.byteLength(bucket.text);
            }
            put(entries ? ',\n' : '{\n');
            put(bucket.text, bucket.bytes);
            entries = true;
        }
        const { version: _version, videos: _videos, ...rest } = data;
        const extra = Object.entries(rest).map(([k, v]) => `,\n  ${JSON.stringify(k)}: ${JSON.stringify(v, null, 2).replace(/\n/g, '\n  ')}`);
        put(`${entries ? '\n  }' : '{}'}${extra.join('')}\n}\n`);
        return this.scratch.subarray(0, at);
    }
    entryText(hash, entry) {
        let text = this.serialized.get(hash);
        if (text === undefined) {
            text = `    ${JSON.stringify(hash)}: ${JSON.stringify(first(entry, ENTRY_KEYS), null, 2).replace(/\n/g, '\n    ')}`;
            this.serialized.set(hash, text);
        }
        return text;
    }
}
/** A stable key order keeps diffs small when the ledger is committed back; keys added by hand are kept, after ours. */
function first(value, keys) {
    const out = {};
    for (const key of keys)
        if (key in value)
            out[key] = value[key];
    return Object.assign(out, value);
}
/** Where `key` goes in a sorted array (or where it is): the order of Array.prototype.sort(). */
function sortedIndex(sorted, key) {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sorted[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

;// CONCATENATED MODULE: ./src/ledger/file-store.ts



/**
 * The ledger as a file of the workspace (committed back by a later step, or
 * kept in a cache). Each write is the whole document to a temporary file,
 * renamed over the ledger: a reader (or a killed run's next one) sees the old
 * ledger or the new one, never part of one. Nobody else writes it during the
 * run, so a write is never stale.
 */
class FileStore {
    file;
    shownAs;
    /** The ledger's folder, made once (again only if it goes away). */
    folder;
    /** Written since the last fsync: settle() makes the final state durable. */
    unsynced = false;
    constructor(
    /** The file written: the target when the ledger is a symbolic link, so the link keeps pointing at it. */
    file, shownAs) {
        this.file = file;
        this.shownAs = shownAs;
    }
    /** The store for `file`; a link is followed (to where it points, even when nothing is there yet). */
    static async at(file, shownAs) {
        try {
            return new FileStore(await promises_.realpath(file), shownAs);
        }
        catch (error) {
            const code = error.code;
            // A link to a ledger not written yet: it is created where the link points.
            if (code === 'ENOENT')
                return new FileStore(await linkTarget(file), shownAs);
            throw new LedgerError(shownAs, `cannot be read (${code})`);
        }
    }
    /** A missing file is no ledger yet; an unreadable one is an error. */
    async read() {
        try {
            return await promises_.readFile(this.file, 'utf8');
        }
        catch (error) {
            const code = error.code;
            if (code === 'ENOENT')
                return undefined;
            throw new LedgerError(this.shownAs, `cannot be read (${code})`);
        }
    }
    /**
     * No fsync per write: what a write() and rename() left in the page cache outlives the
     * process (a cancelled or crashed run), which is the failure this guards against;
     * settle() syncs the final state once.
     */
    async write(bytes) {
        this.unsynced = true;
        const temp = `${this.file}.${process.pid}.tmp`;
        for (let attempt = 0;; attempt++) {
            this.folder ??= promises_.mkdir(external_node_path_.dirname(this.file), { recursive: true }).catch((error) => {
                this.folder = undefined;
                throw error;
            });
            await this.folder;
            try {
                await promises_.writeFile(temp, bytes);
                break;
            }
            catch (error) {
                // A part written before the disk filled must not be left for a commit step to pick up.
                await promises_.rm(temp, { force: true }).catch(() => undefined);
                // The folder went away meanwhile: make it again, once.
                if (error.code !== 'ENOENT' || attempt > 0)
                    throw error;
                this.folder = undefined;
            }
        }
        try {
            await promises_.rename(temp, this.file);
        }
        catch (error) {
            await promises_.rm(temp, { force: true }).catch(() => undefined);
            throw error;
        }
        return true;
    }
    /** The ledger's bytes flushed to the disk once, when the run is done with it (its folder is not synced: a lost VM loses the step that commits it anyway). */
    async settle() {
        if (!this.unsynced)
            return;
        this.unsynced = false;
        const handle = await promises_.open(this.file, 'r+');
        try {
            await handle.sync();
        }
        finally {
            await handle.close();
        }
    }
}
/** Where a symbolic link that points at nothing yet would have its file; the path itself when it is no link. */
async function linkTarget(file) {
    try {
        const target = await promises_.readlink(file);
        return external_node_path_.resolve(external_node_path_.dirname(file), target);
    }
    catch {
        return file;
    }
}

;// CONCATENATED MODULE: ./src/ledger/merge.ts

/** The rules a merge decides by, pure: how far along an entry is, and whether ours outranks theirs. */
/** How far along an entry is: an upload under way, DraftClip processing, a final status, a final status with its post. */
function progress(entry) {
    if (entry.status === model_status/* Status */.nW.Uploading || entry.status === model_status/* Status */.nW.Unconfirmed || !entry.publish_id)
        return 0;
    if (!(0,model_status/* isFinalStatus */.$T)(entry.status))
        return 1;
    return entry.post_id ? 3 : 2;
}
/**
 * Ours strictly further along than theirs for the same publish ID: what we learned is newer than
 * what they stored. An UNCONFIRMED entry without one (another run gave up on ours) yields to the
 * publish ID that confirms it: a publish ID is never lost.
 */
function furtherAlong(ours, theirs) {
    if (!ours?.publish_id || theirs.status === model_status/* Status */.nW.Uploading)
        return false;
    if (theirs.status === model_status/* Status */.nW.Unconfirmed && !theirs.publish_id)
        return true;
    return ours.publish_id === theirs.publish_id && progress(ours) > progress(theirs);
}
/** An entry's content whatever the order of its keys (a hand edit, or our rewrite of one), to see whether another writer changed it. */
function canonical(entry) {
    return JSON.stringify(entry ? Object.fromEntries(Object.entries(entry).sort(([a], [b]) => (a < b ? -1 : 1))) : null);
}

;// CONCATENATED MODULE: ./src/ledger/ledger.ts





/** A write of the ledger failed: names the ledger and the problem in words (a bare ENOSPC names neither). */
class LedgerWriteError extends Error {
    constructor(shownAs, cause) {
        const err = cause;
        const problem = err.code ? `${WRITE_PROBLEMS[err.code] ?? err.message} (${err.code})` : err.message;
        // A GitHub message often ends in a full stop of its own: one sentence, not '.;'.
        super(`The ledger ${shownAs} could not be written: ${problem.replace(/\.+$/, '')}; what it missed is in the outputs.`, { cause });
        this.name = 'LedgerWriteError';
    }
}
const WRITE_PROBLEMS = {
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is used up',
    EROFS: 'its file system is read-only',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'a folder is in its place',
    ENOTDIR: 'a file is in the place of a folder on its path'
};
/**
 * What this action has published, over a store (a file, a branch): claims,
 * writes batched while one is under way, and merges with what another writer
 * stored meanwhile. It never asks which store it has.
 */
class Ledger {
    store;
    data;
    secrets;
    run;
    /** The write under way, and whether another must follow it (changes made meanwhile). */
    writing;
    next;
    lazy;
    /** Ends the lazy wait early: a write about to start carries what it held (and a real timer must not outlive the run). */
    lazyStop;
    text = new LedgerText();
    /** The first write that failed since the last idle(), so a write nobody awaited still fails the run. */
    failure;
    /** Changes not stored yet, each with a version that moves on every change (a write carries the versions it saw). */
    unsaved = new Map();
    /** Each unsaved entry's stored version it was made from (canonical): a merge sees whether another writer changed it since. */
    bases = new Map();
    version = 0;
    claims = new Map();
    dropped = new Map();
    /** Entries of ours a merge gave to another writer's different entry (only a deleted branch makes one): theirs from now on. */
    givenUp = new Set();
    constructor(store, data, secrets, 
    /** The run writing, where entries name it (a store shared by runs at once). */
    run) {
        this.store = store;
        this.data = data;
        this.secrets = secrets;
        this.run = run;
    }
    get shownAs() {
        return this.store.shownAs;
    }
    /** Reads the ledger from its store; none stored yet is an empty ledger, a corrupt one an error. */
    static async open(store, secrets = [], run) {
        const text = await store.read();
        return new Ledger(store, text === undefined ? { ...EMPTY, videos: {} } : parseLedger(text, store.shownAs), secrets, run);
    }
    /** A ledger in a file of the workspace. */
    static async load(file, shownAs, secrets = []) {
        return Ledger.open(await FileStore.at(file, shownAs), secrets);
    }
    get(hash) {
        return this.data.videos[hash];
    }
    /**
     * Sets an entry; resolves once a write that holds it is stored. Changes made
     * while a write is under way share the next write, so a thousand videos do
     * not cost a thousand rewrites of the whole document.
     */
    record(hash, entry) {
        const clean = (0,src_secrets/* scrubStrings */.aV)(entry, this.secrets);
        const before = this.data.videos[hash];
        if (this.theirsNow(hash, clean.publish_id ?? null))
            return Promise.resolve();
        this.touch(hash);
        this.data.videos[hash] = {
            ...before,
            ...clean,
            updated_at: new Date().toISOString(),
            ...(this.run ? { run_id: this.run.id, run_attempt: this.run.attempt } : {}),
            ...(this.run?.writer ? { writer: this.run.writer } : {})
        };
        this.changed(hash, true);
        // A status that only moved on (the publish id already stored) may ride with the next write, where a write costs.
        const movedOn = before && before.publish_id === (clean.publish_id ?? null);
        if (movedOn && clean.status !== model_status/* Status */.nW.Uploading && clean.status !== model_status/* Status */.nW.Unconfirmed)
            return this.later();
        return this.flush();
    }
    /** A change held for company: written when the store's lazy wait ends, or sooner with any write (which ends the wait). */
    later() {
        const lazy = this.store.lazy;
        if (!lazy)
            return this.flush();
        if (!this.lazy) {
            const stop = new AbortController();
            this.lazyStop = stop;
            this.lazy = lazy.clock.sleep(lazy.ms, stop.signal).then(() => {
                this.lazy = this.lazyStop = undefined;
                return this.flush();
            });
        }
        return this.lazy;
    }
    /**
     * Records the UPLOADING entry that must be stored before a video's first byte
     * leaves. `decidedFrom`: the entry the video's admission was decided from;
     * when a merge has changed it since, the decision is stale and nothing is
     * written. Resolves undefined once stored; with the other writer's entry when
     * the video is another run's now (decide again, send nothing); rejects when
     * it could not be written (nothing was recorded).
     */
    claim(hash, entry, decidedFrom = this.data.videos[hash] ?? null) {
        const now = this.data.videos[hash];
        if (canonical(now) !== canonical(decidedFrom))
            return Promise.resolve({ entry: now });
        const base = canonical(now);
        // A new claim, decided from the entry as it stands: the video is this run's again if it holds.
        this.givenUp.delete(hash);
        return new Promise((resolve, reject) => {
            void this.record(hash, entry).catch(() => undefined);
            this.claims.set(hash, { version: this.unsaved.get(hash), base, entry: canonical(this.data.videos[hash]), resolve, reject });
        });
    }
    forget(hash) {
        if (this.theirsNow(hash, null))
            return Promise.resolve();
        if (this.data.videos[hash])
            this.dropped.set(hash, this.data.videos[hash].file);
        this.touch(hash);
        delete this.data.videos[hash];
        this.changed(hash, false);
        return this.flush();
    }
    /**
     * One write: the document as it is now, again after each merge with what
     * another writer stored meanwhile, until the store takes it. Nothing to
     * carry: no write (a commit costs a request and the secondary rate limit).
     */
    async writeToStore() {
        for (;;) {
            if (this.unsaved.size === 0)
                return;
            await this.store.ready?.();
            const carried = new Map(this.unsaved);
            const sent = [...carried.keys()].map(hash => canonical(this.data.videos[hash]));
            let stored;
            try {
                stored = await this.store.write(this.text.bytes(this.data), this.named(carried));
            }
            catch (error) {
                this.unclaim(carried, error);
                throw error;
            }
            if (stored)
                return this.stored(carried, sent);
            const text = await this.store.read();
            this.merge(text === undefined ? { ...EMPTY, videos: {} } : parseLedger(text, this.store.shownAs), text === undefined);
        }
    }
    /** The entries a write carries, for its description; one dropped (DraftClip certainly did not take it) named by its file. */
    named(carried) {
        const removed = (hash) => ({
            file: this.dropped.get(hash) ?? hash,
            status: 'entry removed',
            publish_id: null,
            post_id: null,
            updated_at: ''
        });
        return [...carried.keys()].map(hash => this.data.videos[hash] ?? removed(hash));
    }
    /** A claim not stored is no claim: the video is not sent, and the entry goes back to what is stored. */
    unclaim(carried, error) {
        for (const [hash, version] of carried) {
            const claim = this.claims.get(hash);
            if (!claim || claim.version !== version)
                continue;
            this.claims.delete(hash);
            this.restore(hash, JSON.parse(claim.base));
            this.saved(hash);
            claim.reject(new LedgerWriteError(this.shownAs, error));
        }
    }
    stored(carried, sent) {
        let at = 0;
        for (const [hash, version] of carried) {
            const written = sent[at++];
            if (this.unsaved.get(hash) === version)
                this.saved(hash);
            // Changed again during the write: its next write is based on this one.
            else
                this.bases.set(hash, written);
            const claim = this.claims.get(hash);
            if (claim && claim.version === version) {
                this.claims.delete(hash);
                claim.resolve(undefined);
            }
        }
        // Everything learned is stored: an earlier failed write no longer fails the run.
        if (this.unsaved.size === 0)
            this.failure = undefined;
    }
    /**
     * Another writer's ledger, merged entry by entry: theirs wherever this run has
     * nothing unsaved. Where it has: a claim found stored as made is stored (a
     * write GitHub took but answered badly); a claim on an entry another writer
     * changed since it was made is lost (that video is theirs now). Any other
     * change of ours gives way to another writer's newer entry (never overwrites
     * its UPLOADING) unless ours is further along for the same publish ID.
     * `vanished`: the stored ledger is gone (its branch deleted); what this run
     * stored goes back on, or the next run would post those videos again.
     */
    merge(theirs, vanished) {
        const ours = this.data.videos;
        const videos = { ...theirs.videos };
        if (vanished) {
            for (const [hash, entry] of Object.entries(ours)) {
                if (this.unsaved.has(hash) || !this.mine(entry))
                    continue;
                this.unsaved.set(hash, ++this.version);
                this.bases.set(hash, canonical(null));
            }
        }
        for (const hash of [...this.unsaved.keys()]) {
            const stored = theirs.videos[hash];
            if (this.settleClaim(hash, stored))
                continue;
            const storedText = canonical(stored);
            const mine = ours[hash];
            const changedByOther = stored !== undefined && storedText !== this.bases.get(hash) && !this.mine(stored);
            if (storedText === canonical(mine) || (changedByOther && !furtherAlong(mine, stored))) {
                if (storedText !== canonical(mine) && mine && this.mine(mine))
                    this.givenUp.add(hash);
                this.saved(hash);
                continue;
            }
            if (mine)
                videos[hash] = mine;
            else
                delete videos[hash];
            this.bases.set(hash, storedText);
        }
        this.data = { ...this.data, videos };
        this.text.reset();
    }
    /** A claim met in a merge: stored as made (held), or another writer's entry there first (lost). True: nothing more to merge for it. */
    settleClaim(hash, stored) {
        const claim = this.claims.get(hash);
        if (!claim)
            return false;
        const storedText = canonical(stored);
        if (storedText === claim.entry) {
            this.claims.delete(hash);
            claim.resolve(undefined);
            if (this.unsaved.get(hash) !== claim.version)
                return false;
            this.saved(hash);
            return true;
        }
        if (storedText === claim.base)
            return false;
        this.claims.delete(hash);
        this.saved(hash);
        claim.resolve({ entry: stored });
        return true;
    }
    /**
     * A video of ours whose entry a merge gave to another writer (our entry was lost with a deleted branch, and
     * another run claimed the video meanwhile): what we learn of our upload later must not replace their claim or
     * their publish ID, which they and others have read. Ours stays in this run's outputs. A FAILED entry of theirs
     * admits ours, and news of the same publish ID is news.
     */
    theirsNow(hash, publishId) {
        const theirs = this.data.videos[hash];
        if (!this.givenUp.has(hash) || !theirs || this.mine(theirs) || theirs.status === model_status/* Status */.nW.Failed)
            return false;
        return theirs.status === model_status/* Status */.nW.Uploading || theirs.publish_id !== publishId;
    }
    /** Written by this job (its writer id; its run and attempt where entries carry no writer). */
    mine(entry) {
        if (!this.run)
            return false;
        if (this.run.writer !== undefined)
            return entry.writer === this.run.writer;
        return entry.run_id === this.run.id && entry.run_attempt === this.run.attempt;
    }
    /** The stored version an entry about to change was made from, kept until the change is stored. */
    touch(hash) {
        if (!this.unsaved.has(hash))
            this.bases.set(hash, canonical(this.data.videos[hash]));
    }
    /** Stored (or given up for another writer's): nothing left to write for it. */
    saved(hash) {
        this.unsaved.delete(hash);
        this.bases.delete(hash);
    }
    restore(hash, entry) {
        if (entry)
            this.data.videos[hash] = entry;
        else
            delete this.data.videos[hash];
        this.changed(hash, entry !== null);
    }
    changed(hash, present) {
        this.text.changed(hash, present);
        this.unsaved.set(hash, ++this.version);
    }
    flush() {
        this.lazyStop?.abort();
        if (this.next)
            return this.next;
        const after = this.writing ?? Promise.resolve();
        // Each write is a whole snapshot taken when it starts: one that failed (a full disk) must not block the ones after it.
        const write = after
            .catch(() => undefined)
            // One turn of the event loop first: the changes made meanwhile (the next video's UPLOADING) share this write.
            .then(() => new Promise(resolve => setImmediate(resolve)))
            .then(() => {
            this.next = undefined;
            return this.writeToStore().catch((error) => {
                throw new LedgerWriteError(this.shownAs, error);
            });
        });
        this.next = write;
        this.writing = write;
        void write
            .catch((error) => (this.failure ??= error))
            .then(() => {
            if (this.writing === write)
                this.writing = undefined;
        });
        return write;
    }
    /** Settles when every write asked for so far has finished (or failed); changes held back are written now. */
    async idle() {
        if (this.unsaved.size > 0 && !this.writing)
            void this.flush().catch(() => undefined);
        await this.drain();
        // A change held for company while a write was under way (or finishing): now, not after its wait (a cancel's grace is shorter).
        if (!this.lazy)
            return;
        void this.flush().catch(() => undefined);
        await this.drain();
    }
    async drain() {
        while (this.writing)
            await this.writing.catch(() => undefined);
    }
    /** Waits for every write, and throws the first that failed: a ledger that could not be written must fail the step. */
    async settled() {
        // A change still held for company is the run's last write (no upload waits on it): it may wait as long as one.
        if (this.lazy)
            this.store.finishing?.();
        await this.idle();
        // A write that failed left its changes unsaved: one more try before the run reports them lost.
        if (this.unsaved.size > 0) {
            this.store.finishing?.();
            await this.flush().catch(() => undefined);
        }
        await this.store.settle?.().catch((error) => (this.failure ??= new LedgerWriteError(this.shownAs, error)));
        const failure = this.failure;
        this.failure = undefined;
        if (failure)
            throw failure;
    }
}

;// CONCATENATED MODULE: ./src/videos/read.ts


const CHUNK_BYTES = 1024 * 1024;
const RING = 3;
/**
 * A ring of read buffers, made as reads first need them (a small file uses
 * one) and kept for the next file: a fresh ring per video (3 MiB for a big
 * one) is garbage the GC frees late (40 videos of 20 MB peaked 30 MB higher).
 */
class ReadBuffers {
    pooled;
    static spare = [];
    buffers = [];
    reads = 0;
    released = true;
    isSpare = false;
    constructor(pooled) {
        this.pooled = pooled;
    }
    /** A ring for one holder, who gives it back with release() once nothing it sent can still need the bytes. */
    static take() {
        const ring = ReadBuffers.spare.pop() ?? new ReadBuffers(true);
        ring.released = ring.isSpare = false;
        return ring;
    }
    /** A ring of its own for one read, never reused. */
    static own() {
        return new ReadBuffers(false);
    }
    /** The holder is done: the ring is spare once no read into it is under way (it may be filling a buffer still). */
    release() {
        this.released = true;
        this.spareWhenIdle();
    }
    buffer(n, size) {
        const i = n % RING;
        this.buffers[i] ??= Buffer.allocUnsafeSlow(this.pooled ? CHUNK_BYTES : Math.min(CHUNK_BYTES, size));
        return this.buffers[i];
    }
    /** Held, and no read into it under way. */
    free() {
        return !this.released && this.reads === 0;
    }
    started() {
        this.reads++;
    }
    ended() {
        this.reads--;
        this.spareWhenIdle();
    }
    spareWhenIdle() {
        if (!this.pooled || !this.released || this.reads > 0 || this.isSpare)
            return;
        this.isSpare = true;
        ReadBuffers.spare.push(this);
    }
}
/**
 * The file changed between its check and the end of its read: what was read is
 * not the video that was checked (nor what the ledger would record).
 */
class FileChangedError extends Error {
    code = 'FILE_CHANGED';
    constructor(shownAs, what) {
        super(`${shownAs} changed during its upload (${what})`);
        this.name = 'FileChangedError';
    }
}
/**
 * The file's bytes, read into a small ring of reused buffers: a fresh buffer
 * per read (as fs streams do) leaves tens of MB of garbage between collections.
 * Reuse is safe because undici asks for the next chunk only once the socket
 * has drained the previous one (a 1 MiB chunk is far over the socket's 16 KiB
 * high-water mark), so a buffer is long copied out when it comes round again.
 * A ring taken for an upload goes back only once the upload has its answer
 * (the server had every byte, or the socket was destroyed).
 * With `asChecked`, the last chunk is held back (FileChangedError) unless the
 * file is still the one checked: same size, same file, not written since, and
 * the bytes read hash to the checked SHA-256. A body cut short is refused, so
 * a changed file is never taken.
 */
async function* readChunks(file, size, shared, asChecked) {
    // A read of an earlier attempt may still be filling the shared ring (its socket was dropped mid-read): then a ring of its own.
    const ring = shared?.free() ? shared : ReadBuffers.own();
    const changed = (what) => new FileChangedError(asChecked?.shownAs ?? file, what);
    ring.started();
    try {
        const handle = await promises_.open(file, 'r');
        try {
            const hash = asChecked?.sha256 ? (0,external_node_crypto_.createHash)('sha256') : undefined;
            let total = 0;
            for (let n = 0; total < size; n++) {
                const buffer = ring.buffer(n, size);
                const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, size - total), total);
                if (bytesRead === 0) {
                    if (asChecked)
                        throw changed(`it shrank to ${total} bytes; it had ${size} when it was checked`);
                    throw new Error(`${file} shrank while it was being read (${total} of ${size} bytes)`);
                }
                total += bytesRead;
                const chunk = buffer.subarray(0, bytesRead);
                hash?.update(chunk);
                if (total === size && asChecked) {
                    const problem = await changeSinceCheck(handle, size, asChecked, hash?.digest('hex'));
                    if (problem)
                        throw changed(problem);
                }
                yield { chunk, total };
            }
        }
        finally {
            await handle.close();
        }
    }
    finally {
        ring.ended();
    }
}
/** How the open file differs from the one checked, if it does. */
async function changeSinceCheck(handle, size, asChecked, sha256) {
    const now = await handle.stat();
    if (now.size !== size)
        return `it has ${now.size} bytes now; it had ${size} when it was checked`;
    const { stamp } = asChecked;
    if (stamp && now.ino !== stamp.ino)
        return 'another file took its place after it was checked';
    if (stamp && now.mtimeMs !== stamp.mtimeMs)
        return 'it was written to after it was checked';
    if (sha256 !== undefined && sha256 !== asChecked.sha256)
        return 'its content is not the content that was checked';
    return undefined;
}
/** The SHA-256 of a file's first `size` bytes, read through the same reused buffers as the upload. */
async function hashFile(file, size) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    // Each chunk is hashed before the next read: the ring is free again when the loop ends.
    const ring = ReadBuffers.take();
    try {
        for await (const { chunk } of readChunks(file, size, ring))
            hash.update(chunk);
    }
    finally {
        ring.release();
    }
    return hash.digest('hex');
}
/** The first bytes of a file, enough to tell its container. */
async function readHead(file, bytes = 12) {
    const handle = await fs.open(file, 'r');
    try {
        const buffer = Buffer.alloc(bytes);
        const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
        return buffer.subarray(0, bytesRead);
    }
    finally {
        await handle.close();
    }
}

;// CONCATENATED MODULE: ./src/publish/wire.ts

/**
 * How far one video's upload got, as a cancelled job must know it (lifecycle.interrupted):
 * whether an attempt is out whose outcome is not settled, and whether the client held its
 * last bytes back when the job was cancelled. Without one, a video is taken to have left.
 */
class UploadWire {
    out = false;
    held = false;
    reach() {
        if (this.held)
            return 'held-back';
        return this.out ? 'may-have-left' : 'none-out';
    }
    /** `client`, with this video's attempts watched; `signal`: the cancelled job, when the client holds back last bytes not yet sent. */
    watch(client, signal) {
        return {
            upload: async (video) => {
                this.out = true;
                const attempt = await client.upload({ ...video, signal, onHeldBack: () => (this.held = true) });
                // Certainly not taken, by the retry policy's own word: nothing of it is out any more.
                if (judgeUpload(attempt).kind === 'retry')
                    this.out = false;
                return attempt;
            },
            status: (publishId, timeoutMs, statusSignal) => client.status(publishId, timeoutMs, statusSignal),
            close: () => client.close()
        };
    }
}

;// CONCATENATED MODULE: ./src/publish/board.ts







const CANCELLED = { scope: 'everything', reason: 'the job was cancelled' };
/**
 * The videos of a run, one Entry each, and the one way to change a result:
 * apply a step of the lifecycle (result, then ledger, then log). The dry run,
 * the real run and the signal handler all go through it.
 */
class Board {
    ledger;
    self;
    entries;
    halted = {};
    runStates = new Map();
    /** The ledger entry each video's admission was decided from: a claim is judged against the entry as it stands now. */
    decidedFrom = [];
    /** Each sent video's upload, as far as a cancelled job must know it. */
    wires = [];
    /** A video's GitHub Deployment for its ledger entry (deployment-environment): see publish/deployments.ts entryId. */
    deploymentOf;
    constructor(videos, 
    /** Content hashes by video, where known. */
    hashes, ledger, 
    /** This run, when the ledger records runs (a branch). */
    self) {
        this.ledger = ledger;
        this.self = self;
        const twins = twinIndexes(hashes);
        this.entries = videos.map((video, i) => ({
            video,
            hash: hashes[i],
            twin: twins[i],
            admission: undefined,
            result: initialResult({ ...video, sha256: hashes[i] }),
            log: undefined
        }));
    }
    get results() {
        return this.entries.map(e => e.result);
    }
    ref(i) {
        const hash = this.entries[i].hash;
        return this.ledger && hash ? { shownAs: this.ledger.shownAs, hash } : undefined;
    }
    /** How each video enters the run: its ledger entry and its twins by the lifecycle's one rule, then the calendar. */
    decideAdmissions(wait, now, maxUploads) {
        this.admissionsAt(wait, now, maxUploads).forEach((admission, i) => this.admitAs(i, admission));
    }
    /** The admissions decideAdmissions would give now, without giving them (the pipeline judges media by them). */
    admissionsAt(wait, now, maxUploads) {
        const byEntry = this.entries.map((e, i) => this.admissionOf(i, e.twin === undefined ? undefined : this.entries[e.twin].video.file, wait, now));
        const videos = this.entries.map(e => e.video);
        return applyCalendar(byEntry, videos, now, maxUploads);
    }
    /** The admission a video enters with (decided again when another run's claim came first). */
    admitAs(i, admission) {
        ;
        this.entries[i].admission = admission;
    }
    admissionOf(i, twinOf, wait, now) {
        const entry = this.ledgerEntry(i);
        this.decidedFrom[i] = entry;
        const run = runToAsk(entry, this.self);
        const busy = busyWith(entry, this.self, run === undefined ? undefined : this.runStates.get(run), now);
        return decideAdmission(entry, twinOf, wait, this.entries[i].video.privacyLevel, busy);
    }
    ledgerEntry(i) {
        const hash = this.entries[i].hash;
        return hash && this.ledger ? this.ledger.get(hash) : undefined;
    }
    /** Asks about every other run whose upload entry this run's videos meet, once each. */
    async learnRuns(ask) {
        if (!ask)
            return;
        for (let i = 0; i < this.entries.length; i++) {
            const run = runToAsk(this.ledgerEntry(i), this.self);
            if (run !== undefined && !this.runStates.has(run))
                this.runStates.set(run, await ask(run));
        }
    }
    /**
     * The UPLOADING entry, stored before the first byte. Undefined: it is, go on.
     * Otherwise the video is not sent: another run's entry got there first (decide
     * again with it), or the ledger could not be written (every upload stops).
     */
    async claim(i, runState, now, wait) {
        const before = this.entries[i].result;
        const step = uploadStarting(before);
        const hash = this.entries[i].hash;
        if (!this.ledger || !hash || !step.ledger || step.ledger.kind !== 'record') {
            await this.apply(i, step);
            return undefined;
        }
        // The result says UPLOADING only once the entry is stored: a video never sent is never UNCONFIRMED.
        try {
            const lost = await this.ledger.claim(hash, step.ledger.entry, this.decidedFrom[i] ?? null);
            if (!lost) {
                await this.apply(i, uploadClaimed(before));
                return undefined;
            }
        }
        catch (error) {
            await this.apply(i, ledgerUnwritable(before, error.message));
            return 'refused';
        }
        await this.learnRuns(runState);
        return this.admissionOf(i, undefined, wait, now());
    }
    /** Each video's log lines go to its own VideoLog from now on. */
    useLogs(logFor) {
        for (const entry of this.entries)
            entry.log = logFor(entry.video);
    }
    /**
     * The one way a result changes. A step without a ledger write takes effect at
     * once; an UPLOADING entry is on disk before the returned promise resolves.
     */
    async apply(i, step) {
        const entry = this.entries[i];
        entry.result = step.result;
        if (step.halt)
            this.halt(step.halt);
        const hash = entry.hash;
        if (step.log)
            entry.log?.[step.log.level](step.log.line);
        if (!step.ledger || !this.ledger || !hash)
            return;
        const write = step.ledger.kind === 'record'
            ? this.ledger.record(hash, this.withDeployment(i, step.ledger.entry))
            : this.ledger.get(hash)
                ? this.ledger.forget(hash)
                : undefined;
        // Only an UPLOADING entry must be on disk before the step goes on (before the first byte leaves);
        // other changes share the next write, and a failed one fails the run when it ends (Ledger.settled).
        if (step.result.status === model_status/* Status */.nW.Uploading)
            await write;
        else
            void write?.catch(() => undefined);
    }
    /** An upload of this run keeps its own deployment's id (or none), never an earlier upload's, which a later run would add statuses to. */
    withDeployment(i, entry) {
        const own = this.deploymentOf?.(i);
        return own ? { ...entry, deployment_id: own.id } : entry;
    }
    halt(halt) {
        this.halted.uploads ??= halt;
        if (halt.scope === 'everything')
            this.halted.everything ??= halt;
    }
    /** Why no upload may start now, if one may not: a halt, or the cancelled job. */
    uploadsHalt(signal) {
        return this.halted.uploads ?? (signal?.aborted ? CANCELLED : undefined);
    }
    uploadsStopped(signal) {
        return this.uploadsHalt(signal)?.reason;
    }
    /** Why the run stopped early: a refused key outranks a spent quota, which a queue would forgive. */
    runHalt(signal) {
        return this.halted.everything ?? this.uploadsHalt(signal);
    }
    pollsStopped(signal) {
        return (this.halted.everything ?? (signal?.aborted ? CANCELLED : undefined))?.reason;
    }
    /** Where the video's upload has got (its attempts are sent through `wire(i).watch`). */
    wire(i) {
        return (this.wires[i] ??= new UploadWire());
    }
    /**
     * A cancelled job: every upload under way is what the lifecycle's rule makes of how far it got,
     * at once; the ledger writes start now (await ledger.idle() for them).
     */
    interruptAll(why) {
        this.entries.forEach((e, i) => void this.apply(i, interrupted(e.result, why, this.ref(i), this.wires[i]?.reach())));
    }
}
/** The board of the run: each video's starting result, with its content hash where the ledger or its twins need one. */
async function openBoard(videos, store, secrets, shared, 
/** Every video's hash, not only those the ledger or twins need (a deployment's payload names it). */
hashAll = false) {
    const ledger = store ? await Ledger.open(store, secrets, shared?.run) : undefined;
    const toHash = new Set(pathsToHash(videos, ledger !== undefined || hashAll));
    const hashes = [];
    for (const video of videos)
        hashes.push(toHash.has(video.path) ? await hashFile(video.path, video.size) : undefined);
    const board = new Board(videos, hashes, ledger, shared?.run);
    // Whether the runs that left upload entries are still going, before anything is decided.
    if (shared)
        await board.learnRuns(shared.runState);
    return board;
}

// EXTERNAL MODULE: ./node_modules/@actions/glob/lib/glob.js + 17 modules
var glob = __webpack_require__(2377);
;// CONCATENATED MODULE: ./src/videos/sidecar.ts

/**
 * Per-video settings live beside the video in `<video file name>.draftclip.json`,
 * e.g. `trailer.mp4.draftclip.json`: the full video name plus a suffix no other
 * tool uses, so it cannot be mistaken for an unrelated file nor shared by
 * `trailer.mp4` and `trailer.mov`.
 */
const SIDECAR_SUFFIX = '.draftclip.json';
const KEYS = ['description', 'privacy_level', 'title', 'publish_at'];
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
            if (PRIVACY_LEVELS.includes(level))
                sidecar.privacy_level = level;
            else
                problems.push(`${at}: privacy_level must be one of ${PRIVACY_LEVELS.join(', ')}, got '${value}'`);
        }
        else if (key === 'publish_at') {
            const instant = parseInstant(value);
            if (typeof instant === 'number')
                sidecar.publish_at = instant;
            else
                problems.push(`${at}: publish_at ${instant}, got '${value}'`);
        }
        else {
            sidecar[key] = value;
        }
    }
    return { sidecar, problems };
}
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/i;
/**
 * An RFC 3339 date-time (ISO 8601 with an offset or Z), as milliseconds since
 * the epoch; otherwise what is wrong with it. No offset is refused: a runner's
 * local time zone is nobody's intent, and Date.parse would roll 30 February
 * into March.
 */
function parseInstant(text) {
    const m = INSTANT.exec(text.trim());
    if (!m)
        return 'must be an RFC 3339 (ISO 8601) date-time with an offset or Z, such as 2026-12-24T18:00:00+01:00';
    const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map(i => Number(m[i] ?? 0));
    const [offsetHours, offsetMinutes] = [Number(m[9] ?? 0), Number(m[10] ?? 0)];
    const date = new Date(0);
    // setUTCFullYear, not Date.UTC, which reads years 0-99 as 1900-1999.
    date.setUTCFullYear(year, month, 0);
    const days = date.getUTCDate();
    const real = month >= 1 && month <= 12 && day >= 1 && day <= days && hour <= 23 && minute <= 59 && second <= 59;
    if (!real || offsetHours > 23 || offsetMinutes > 59)
        return 'is not a real date and time';
    date.setUTCFullYear(year, month - 1, day);
    date.setUTCHours(hour, minute, second, Math.floor(Number(`0${m[7] ?? ''}`) * 1000));
    const sign = m[8].startsWith('-') ? -1 : 1;
    const instant = date.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
    // Shown and compared as ISO text: it must stay within four-digit years in UTC.
    if (instant < FIRST_INSTANT || instant > LAST_INSTANT)
        return 'is out of range (years 0000 to 9999 in UTC)';
    return instant;
}
const FIRST_INSTANT = Date.parse('0000-01-01T00:00:00.000Z');
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');
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
    const walk = new JsonWalk(text);
    try {
        walk.value();
        walk.space();
        if (walk.i < text.length)
            walk.fail();
    }
    catch (stop) {
        if (stop instanceof Stop)
            return Math.min(stop.at, text.length);
        throw stop;
    }
    return text.length;
}
class Stop extends Error {
    at;
    constructor(at) {
        super(`invalid JSON at ${at}`);
        this.at = at;
    }
}
/** A cursor over JSON text that walks its grammar and throws a Stop where it goes wrong. */
class JsonWalk {
    text;
    i = 0;
    constructor(text) {
        this.text = text;
    }
    fail() {
        throw new Stop(this.i);
    }
    space() {
        while (this.i < this.text.length && ' \t\r\n\uFEFF'.includes(this.text[this.i]))
            this.i++;
    }
    value() {
        this.space();
        const c = this.text[this.i];
        if (c === '{' || c === '[')
            return this.container(c);
        if (c === '"')
            return this.string();
        if (c === 't')
            return this.literal('true');
        if (c === 'f')
            return this.literal('false');
        if (c === 'n')
            return this.literal('null');
        const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.i));
        if (!number)
            this.fail();
        this.i += number[0].length;
    }
    container(open) {
        const close = open === '{' ? '}' : ']';
        this.i++;
        this.space();
        if (this.text[this.i] === close)
            return void this.i++;
        for (;;) {
            if (open === '{')
                this.key();
            this.value();
            this.space();
            if (this.text[this.i] === ',')
                this.i++;
            else if (this.text[this.i] === close)
                return void this.i++;
            else
                this.fail();
        }
    }
    key() {
        this.space();
        if (this.text[this.i] !== '"')
            this.fail();
        this.string();
        this.space();
        if (this.text[this.i] !== ':')
            this.fail();
        this.i++;
    }
    literal(word) {
        if (this.text.startsWith(word, this.i))
            this.i += word.length;
        else
            this.fail();
    }
    string() {
        const text = this.text;
        this.i++;
        while (this.i < text.length && text[this.i] !== '"') {
            if (text.charCodeAt(this.i) < 0x20)
                this.fail();
            if (text[this.i] === '\\')
                this.escape();
            this.i++;
        }
        if (text[this.i] !== '"')
            this.fail();
        this.i++;
    }
    /** At a backslash: step onto the escape's last character, or fail on one JSON does not have. */
    escape() {
        const text = this.text;
        this.i++;
        if (text[this.i] === 'u') {
            if (!/^[0-9a-fA-F]{4}$/.test(text.slice(this.i + 1, this.i + 5)))
                this.fail();
            this.i += 4;
        }
        else if (!'"\\/bfnrt'.includes(text[this.i] ?? 'x'))
            this.fail();
    }
}
function lineAt(text, offset) {
    return text.slice(0, offset).split('\n').length;
}
function escapeRegExp(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

;// CONCATENATED MODULE: ./src/videos/find.ts



/** Matches the patterns against the workspace: absolute paths, de-duplicated, sorted. */
async function findVideoPaths(patterns, workspace) {
    const anchored = patterns.map(p => anchorPattern(p, workspace));
    // Symbolic links are not followed while walking (a loop cannot hang the search);
    // a matched link is resolved and checked like any file later. A folder matched
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
/** A pattern anchored at the workspace (kept as is when absolute or home-relative); a leading ! stays in front. */
function anchorPattern(pattern, workspace, paths = external_node_path_) {
    const negated = pattern.startsWith('!');
    const bare = negated ? pattern.slice(1) : pattern;
    const absolute = paths.isAbsolute(bare) || bare.startsWith('~') ? bare : paths.join(escapeGlob(workspace), bare);
    return (negated ? '!' : '') + absolute;
}
/** A path as logs and outputs show it: relative to the workspace, forward slashes; absolute when outside it. */
function workspacePath(file, workspace, paths = external_node_path_) {
    const relative = paths.relative(workspace, file);
    // Outside is '..' or '../…'; a folder named '..media' inside the workspace is not.
    const outside = relative === '..' || relative.startsWith(`..${paths.sep}`);
    return relative === '' || outside || paths.isAbsolute(relative) ? file : relative.split(paths.sep).join('/');
}
/** A literal path inside a pattern: @actions/glob reads `*`, `?` and `[` as wildcards unless wrapped in brackets. */
function escapeGlob(literal) {
    return literal.replace(/[*?[]/g, c => `[${c}]`);
}

// EXTERNAL MODULE: ./src/github/client.ts
var client = __webpack_require__(6584);
;// CONCATENATED MODULE: ./src/ledger/branch-store.ts



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
/** A status that only moved on waits this long for company (docs/reliability.md: "10 s later at most"). */
const LAZY_WRITE_MS = 10_000;
/** How long the run's last write sits through a rate limit: the outputs wait for it. */
const FINAL_WAIT_CEILING_MS = 60 * 60 * 1000;
/** A commit refused while the file did not move (the branch's head moved under another file's commit; a 5xx) is sent this many times in all. */
const WRITE_TRIES = 5;
/** What a branch is made with: a ledger without entries (the Ledger writes the same bytes for none). */
const EMPTY_LEDGER = Buffer.from('{\n  "version": 1,\n  "videos": {}\n}\n');
/** A blob's git sha, as GitHub names a file's content: how a write GitHub took but answered badly is recognised. */
function gitBlobSha(bytes) {
    return (0,external_node_crypto_.createHash)('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
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
    /** A commit costs a request of GitHub's content-creation limit: a status that only moved on waits this long for company. */
    lazy;
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
        this.lazy = { ms: LAZY_WRITE_MS, clock: options.rest.clock };
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
        if (!this.branchExists) {
            // The branch is made holding a ledger without entries, and the claim is its first update: a branch that
            // may be created but not updated (a ruleset) refuses that update, before any upload, not the one after it.
            if (!(await this.create(EMPTY_LEDGER, `draftclip-publish: the ledger's branch made (run ${this.options.run.id}, attempt ${this.options.run.attempt})`)))
                return false;
        }
        return this.update(bytes, message);
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
            if (answer.status !== 409 && answer.status !== 422 && answer.status !== 404 && !(0,client/* uncertain */.Y$)(answer))
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
            if (ref.status !== 422 && !(0,client/* uncertain */.Y$)(ref))
                throw this.refused('write', ref);
            // Another run made the branch first (read it, merge), or GitHub made ours but answered badly.
            await this.read();
            if (this.branchExists && this.sha === blobSha) {
                // Ours only after an uncertain answer: a 422 means another run made it (with the same bytes, a ledger without entries).
                if ((0,client/* uncertain */.Y$)(ref))
                    this.commits++;
                this.seen = true;
                return true;
            }
            if (this.branchExists)
                return false;
            if (!(0,client/* uncertain */.Y$)(ref) || tries >= WRITE_TRIES)
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
        return (0,src_secrets/* scrub */._I)(head + body, this.options.secrets);
    }
    /** An answer that is no compare-and-swap: what the user must change, named. */
    refused(what, answer, tries = 1) {
        const { repository, branch } = this.options;
        const said = `${answer.status} ${(0,src_secrets/* scrub */._I)(answer.message, this.options.secrets).slice(0, 200)}`;
        if (answer.status === 401)
            return new LedgerBranchError(`GitHub refused the token ('github-token') while trying to ${what} ${this.shownAs} of ${repository} (${said}).`);
        if (answer.status === 404 && !/branch/i.test(answer.message))
            return new LedgerBranchError(`GitHub answered ${said} while trying to ${what} ${this.shownAs}: the repository ${repository} was not found, or the token ('github-token') cannot see it.`);
        if (answer.status === 403 || (what === 'read' && answer.status === 404))
            return new LedgerBranchError(`GitHub refused to ${what} ${this.shownAs} of ${repository} (${said}): the job needs 'permissions: contents: write' for 'ledger-branch'.`);
        const times = tries > 1 ? `, ${tries} times` : '';
        if (what === 'write' && (0,client/* uncertain */.Y$)(answer))
            return new LedgerBranchError(`GitHub failed to take a commit to the branch '${branch}' of ${repository} (${said}${times}): GitHub's API may be having trouble (githubstatus.com); run the workflow again later.`);
        if (what === 'write' && !protectedAnswer(answer) && tries > 1)
            return new LedgerBranchError(`GitHub refused a commit to the branch '${branch}' of ${repository} ${tries} times (${said}): its head kept moving under other commits (other jobs writing to it?); run the workflow again.`);
        if (what === 'write')
            return new LedgerBranchError(`GitHub refused a commit to the branch '${branch}' of ${repository} (${said}): is it protected? 'ledger-branch' needs a branch the workflow's token may push to.`);
        return new LedgerBranchError(`GitHub could not ${what} ${this.shownAs} of ${repository} (${said}).`);
    }
}

;// CONCATENATED MODULE: ./src/ledger/open.ts



/** The one place a ledger's backend is chosen: a new one is an adapter and a line here. */
async function ledgerStore(place, branch, secrets) {
    if (place.ledgerBranch && branch)
        return new BranchStore({
            rest: branch.client,
            repository: branch.repository,
            branch: place.ledgerBranch,
            path: place.ledgerPath,
            run: branch.run,
            secrets
        });
    if (place.ledger)
        return FileStore.at(place.ledger, workspacePath(place.ledger, place.workspace));
    return undefined;
}

;// CONCATENATED MODULE: ./src/model/deployment.ts
/**
 * What a video's GitHub Deployment says of it: the state and words of its
 * status, read off what the run learned. Pure, no I/O: the recorder
 * (publish/deployments.ts) decides when to send one, the client
 * (github/deployments.ts) sends it.
 */

/** GitHub's limit on a deployment status's description. */
const DESCRIPTION_MAX = 140;
/**
 * Text cut to `max` characters, with an ellipsis where it was cut. Counted in
 * UTF-16 units, which is never fewer than code points: within the limit
 * whichever GitHub counts (an emoji is one code point but two units), and never
 * half an emoji.
 */
function cut(text, max = DESCRIPTION_MAX) {
    const line = text.replace(/\s+/g, ' ').trim();
    if (line.length <= max)
        return line;
    let kept = '';
    for (const point of line) {
        if (kept.length + point.length > max - 1)
            break;
        kept += point;
    }
    return `${kept}…`;
}
/**
 * The status a deployment should have now, or undefined when the video has no
 * say in it (skipped, scheduled, a dry run). Still on its way: in_progress, and
 * a later run adds the final one.
 */
function deploymentStatus(f, postLink) {
    const id = f.publish_id ? ` (publish ID ${f.publish_id})` : '';
    switch (f.status) {
        case model_status/* Status */.nW.Uploading:
            return { state: 'in_progress', description: 'uploading to DraftClip' };
        case model_status/* Status */.nW.ProcessingUpload:
        case model_status/* Status */.nW.Processing:
            return { state: 'in_progress', description: `TikTok is processing it${id}` };
        case model_status/* Status */.nW.PublishComplete:
            if (postLink)
                return { state: 'success', description: `published as post ${f.post_id}${id}`, environmentUrl: postLink };
            return {
                state: 'success',
                description: f.privacy_level !== undefined && f.privacy_level !== model_status/* PUBLIC */.q
                    ? `published ${f.privacy_level}${id}; TikTok links only public posts`
                    : `published${id}; its post link comes after TikTok's moderation`
            };
        case model_status/* Status */.nW.SentToInbox:
            return { state: 'success', description: `sent to the inbox as a draft${id}` };
        case model_status/* Status */.nW.Failed:
            return { state: 'failure', description: `TikTok refused it: ${f.fail_reason ?? 'no reason given'}${id}` };
        case model_status/* Status */.nW.UploadFailed:
            return { state: 'failure', description: `upload failed: ${f.error ?? 'no reason given'}` };
        case model_status/* Status */.nW.Unconfirmed:
            return { state: 'error', description: `unconfirmed${id}: it may or may not be on TikTok; ${f.error ?? ''}` };
        case model_status/* Status */.nW.NotAttempted:
        case model_status/* Status */.nW.Queued:
            return { state: 'error', description: `not uploaded: ${(f.error ?? f.status).replace(/^(not attempted|queued|not sent): /, '')}` };
        default:
            return undefined;
    }
}
/**
 * Two statuses that say the same: the state, and the link (a second success adds the link once the post ID comes).
 * In progress, the words too: "uploading" then "processing (publish ID …)" is news, the one status wait: false or a
 * timeout leaves with the publish ID in it, when no later run may come.
 */
function sameStatus(a, b) {
    return (a?.state === b?.state && a?.environmentUrl === b?.environmentUrl && (a?.state !== 'in_progress' || a.description === b?.description));
}

;// CONCATENATED MODULE: ./src/github/deployments.ts


/** The deployment of one video: its file named, and its bytes by SHA-256 (file names are untrusted text: scrubbed, cut). */
function deploymentBody(target, file, sha256, secrets) {
    const name = (0,src_secrets/* scrub */._I)(file, secrets);
    return {
        ref: target.sha,
        environment: target.environment,
        task: 'publish',
        auto_merge: false,
        required_contexts: [],
        description: cut(`Publish ${name} to TikTok`),
        payload: { file: name, sha256 },
        transient_environment: false
    };
}
/** A status as GitHub takes it: the run's page as its log, never marking the environment's other deployments inactive. */
function statusBody(target, status, secrets) {
    return {
        state: status.state,
        description: cut((0,src_secrets/* scrub */._I)(status.description, secrets)),
        ...(status.environmentUrl ? { environment_url: status.environmentUrl } : {}),
        ...(target.runUrl ? { log_url: target.runUrl } : {}),
        auto_inactive: false
    };
}
class GitHubDeployments {
    github;
    target;
    secrets;
    constructor(github, target, secrets) {
        this.github = github;
        this.target = target;
        this.secrets = secrets;
    }
    async create(file, sha256) {
        let answer;
        try {
            answer = await this.github.call('POST', `/repos/${this.target.repository}/deployments`, deploymentBody(this.target, file, sha256, this.secrets), false);
        }
        catch (error) {
            // The client throws only before GitHub acted: a rate limit longer than it waits.
            return { kind: 'unsent', message: error.message };
        }
        const id = answer.json?.id;
        if (answer.status === 201 && typeof id === 'number' && Number.isSafeInteger(id))
            return { kind: 'created', id };
        if (answer.status >= 400 && answer.status < 500)
            return { kind: 'refused', status: answer.status, message: answer.message };
        return { kind: 'lost', message: answer.status === 0 ? answer.message : `${answer.status}: ${answer.message}` };
    }
    /** Adds a status; the problem in words when GitHub did not take it. */
    async addStatus(id, status) {
        const answer = await this.send(`/repos/${this.target.repository}/deployments/${id}/statuses`, statusBody(this.target, status, this.secrets));
        if (answer.status === 201)
            return undefined;
        return answer.status === 0 ? answer.message : `${answer.status}: ${answer.message}`;
    }
    /** One POST, never resent: a rate limit longer than the client waits, or no connection, is an answer of its own. */
    async send(route, body) {
        try {
            return await this.github.call('POST', route, body, false);
        }
        catch (error) {
            return { status: 0, json: undefined, message: error.message };
        }
    }
}

;// CONCATENATED MODULE: ./src/publish/deployments.ts


class DeploymentRecorder {
    client;
    settings;
    told;
    /** Each video's deployment, by its index in the run. */
    ids = new Map();
    /** The status each deployment has (or was last sent). */
    last = new Map();
    /** Videos this run uploads (the others' facts are their ledger entries). */
    uploaded = new Set();
    /** Each deployment's statuses go out one after another, in the order they were decided. */
    sending = new Map();
    /** The first creation's answer: every other upload waits for it (a 403 there stops the run before any byte). */
    first;
    refusal;
    constructor(client, settings, 
    /** What went wrong with deployments (publishing went on): a warning on the file, and a note for the summary. */
    told) {
        this.client = client;
        this.settings = settings;
        this.told = told;
    }
    /**
     * Before a video's first byte: its deployment, in_progress. Returns why the
     * upload must not start (GitHub refused the run's first deployment), or
     * undefined: go on, with or without a deployment.
     */
    async start(i, file, sha256) {
        this.uploaded.add(i);
        this.ids.delete(i);
        const isFirst = this.first === undefined;
        if (!isFirst)
            await this.first;
        if (this.refusal)
            return this.refusal;
        const creating = this.client.create(file, sha256);
        if (isFirst)
            this.first = creating;
        const made = await creating;
        if (made.kind === 'created') {
            this.ids.set(i, made.id);
            this.send(i, file, { state: 'in_progress', description: 'uploading to DraftClip' });
            return undefined;
        }
        if (isFirst && made.kind === 'refused') {
            this.refusal = refusalReason(this.settings.environment, made.status, made.message);
            return this.refusal;
        }
        this.problem(file, made.kind === 'lost'
            ? // GitHub may have made it: not asked again (a second deployment would be a second record), so it has no status.
                `GitHub may have made its deployment, but no answer said so (${made.message}); not asked again, so that one has no status; it is published all the same`
            : `no GitHub Deployment was made for it (${made.kind === 'refused' ? `${made.status}: ` : ''}${made.message}); it is published all the same`);
        return undefined;
    }
    /** A later run: the deployment an earlier run made for this video (its ledger entry), and the status it has. */
    adopt(i, entry) {
        const id = entry.deployment_id;
        if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0)
            return;
        this.ids.set(i, id);
        this.last.set(i, this.statusOf(entry));
    }
    /** The deployment id a video's ledger entry keeps: this run's own for a video it uploads; undefined for the others (kept as is). */
    entryId(i) {
        return this.uploaded.has(i) ? { id: this.ids.get(i) } : undefined;
    }
    /**
     * A video is done (or the run ends under it): the status its end calls for, if
     * that is news. Its facts: the result for a video this run uploaded, else its
     * ledger entry (what DraftClip told this run about an earlier upload).
     */
    finish(i, file, result, stored) {
        if (!this.ids.has(i))
            return;
        const facts = this.uploaded.has(i) ? result : stored;
        const status = facts && this.statusOf(facts);
        if (!status || sameStatus(status, this.last.get(i)))
            return;
        this.send(i, file, status);
    }
    /** Every status decided so far has been answered. */
    async settled() {
        await Promise.all(this.sending.values());
    }
    statusOf(facts) {
        return deploymentStatus(facts, (0,result/* postUrl */.KI)(facts.post_id, this.settings.username));
    }
    send(i, file, status) {
        const id = this.ids.get(i);
        this.last.set(i, status);
        const sent = (this.sending.get(i) ?? Promise.resolve()).then(async () => {
            const problem = await this.client.addStatus(id, status);
            // Not sent again: GitHub may have it, and the next status says more anyway.
            if (problem)
                this.problem(file, `its deployment ${id} did not get the status ${status.state} (${problem})`);
        });
        this.sending.set(i, sent);
    }
    problem(file, what) {
        const line = `${file}: ${what}.`;
        this.told.notes.push(`GitHub Deployments: ${line}`);
        this.told.warn(`GitHub Deployments: ${line}`, file);
    }
}
/** Why the run stops before its first upload: GitHub refused its first deployment. */
function refusalReason(environment, status, message) {
    const said = `GitHub refused to create a deployment in environment '${environment}' (${status}: ${message})`;
    const fix = status === 403 || status === 404
        ? "the job needs 'permissions: deployments: write' for 'deployment-environment' (and 'github-token' must be a token of this repository)"
        : "check 'deployment-environment' and the commit the workflow runs on";
    return `${said}: ${fix}. Nothing was uploaded.`;
}

;// CONCATENATED MODULE: ./src/publish/plan.ts




/** The dry run: every video through the same admission as the real run, nothing sent. */
async function planAll(board, settings, now, logFor) {
    board.useLogs(logFor);
    board.decideAdmissions(settings.wait, now, settings.maxUploads);
    for (const [i, entry] of board.entries.entries()) {
        const admission = entry.admission;
        let step = planned(entry.result, admission, board.ref(i));
        // A twin ends as the run ends it: by the planned result of the video it copies (always an earlier one).
        if (admission.kind === 'twin') {
            const held = twinDone(step.result, board.entries[entry.twin].result).result;
            step = { result: held, log: held.status === model_status/* Status */.nW.Skipped ? step.log : { level: 'info', line: `would not upload: ${held.error}` } };
        }
        const r = step.result;
        const media = r.media ? `; ${mediaText(r.media)}` : '';
        const line = `${step.log.line}, ${formatSize(r.size)}, ${r.privacy_level}, caption: ${JSON.stringify(r.description)}${media}`;
        await board.apply(i, { ...step, log: { level: 'info', line } });
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/publish/refuse.ts

/**
 * The driver of a run that sends nothing because a check refused a video:
 * each refused video is REFUSED with its problems; every other one gets what
 * its admission gives before anything is sent (SKIPPED, SCHEDULED, QUEUED; a
 * dry run's plan), else NOT_ATTEMPTED. So `results` lists every video.
 */
async function refuseAll(board, 
/** Each refused video's problems, by its path. */
problems, settings, now, logFor) {
    board.useLogs(logFor);
    board.decideAdmissions(settings.wait, now, settings.maxUploads);
    for (const [i, entry] of board.entries.entries()) {
        const own = problems.get(entry.video.path);
        if (own) {
            // Its problems are the step's failure and its file's annotations: said there, once.
            await board.apply(i, { result: refused(entry.result, own).result });
            continue;
        }
        await board.apply(i, notSentBeside(entry.result, entry.admission, board.ref(i), settings.dryRun));
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/publish/media-verdict.ts
/** Why a video the ledger holds is not uploaded by this run, for the notice about its media. */
const HELD = {
    skip: 'the ledger says it is already published',
    confirm: 'the ledger holds its earlier upload, which this run confirms',
    unconfirmed: 'the ledger holds an earlier upload of it (unconfirmed)',
    busy: 'another run is uploading it'
};
function mediaVerdicts(media, 
/** The run's videos in board order: each one's path, file, and the video it is a twin of. */
entries, 
/** Each video's admission as the board would give it now. */
admissions, mediaCheck) {
    const index = new Map(entries.map((e, i) => [e.video.path, i]));
    const verdicts = [];
    for (const problem of media) {
        const i = index.get(problem.path);
        if (i === undefined)
            continue;
        const twin = entries[i].twin;
        const own = admissions[i];
        const kind = own.kind === 'twin' && twin !== undefined ? admissions[twin].kind : own.kind;
        const held = HELD[kind];
        if (held)
            verdicts.push({ kind: 'notice', problem, line: `${problem.rule}; not refused: ${held}, and this run does not upload it.` });
        else if (mediaCheck === 'error')
            verdicts.push({ kind: 'refuse', problem });
        else if (own.kind === 'twin')
            verdicts.push({
                kind: 'notice',
                problem,
                line: `${problem.rule}; it is not uploaded: the same content as ${entries[twin].video.file}.`
            });
        else
            verdicts.push({ kind: 'warn', index: i, problem, line: kind === 'upload' ? problem.anyway : laterAnyway(problem) });
    }
    return verdicts;
}
/** A broken rule of a video a later run uploads (scheduled, queued), under media-check: warn. */
function laterAnyway(m) {
    const verdict = m.failReason ? `, and TikTok will likely refuse it (${m.failReason})` : '';
    return `${m.rule}; a later run uploads it anyway (media-check: warn)${verdict}${m.fix ? `; to fix it: ${m.fix}` : ''}`;
}

;// CONCATENATED MODULE: ./src/draftclip/rate-gate.ts

/**
 * The run's uploads share one gate for DraftClip's 429s: a rate window holds
 * every upload (each video's next attempt, and every video not yet started)
 * until it has passed; then one upload goes alone, and the others follow its
 * answer. A spent quota closes the gate for the rest of the run. The rule is
 * judgeRateLimit's; this only keeps its state.
 */
class RateGate {
    clock;
    window;
    /** The one request sent after a wait, while it is in flight. */
    probe;
    constructor(clock, timings) {
        this.clock = clock;
        this.window = new RateWindow(clock, timings);
    }
    /** Why no request may go any more this run (the quota is spent), if so. */
    get spent() {
        return this.window.spent;
    }
    /** Resolves when a request may go (or `signal` aborted: the caller's own stop check follows); `{ spent }` when none may. */
    async enter(signal) {
        for (;;) {
            const { spent, until } = this.window;
            if (spent !== undefined)
                return { spent };
            const now = this.clock.now();
            if (signal?.aborted)
                return { sentAt: now, done: () => undefined };
            if (until !== undefined && now < until) {
                await this.clock.sleep(until - now, signal);
                continue;
            }
            if (this.probe) {
                await this.probe;
                continue;
            }
            if (until === undefined)
                return { sentAt: now, done: () => undefined };
            // The first request after a wait goes alone: if the window has not passed, only it is refused.
            let release = () => undefined;
            this.probe = new Promise(resolve => (release = resolve));
            return {
                sentAt: now,
                done: () => {
                    this.probe = undefined;
                    release();
                }
            };
        }
    }
    /** A 429 answered the request sent at `sentAt`: every request of the run waits, or none goes again. */
    limited(retryAfter, sentAt, spentReason) {
        return this.window.limited(retryAfter, sentAt, spentReason);
    }
    /** Anything but a 429 answered the request sent at `sentAt`: a wait it was sent after is over. */
    passed(sentAt) {
        this.window.passed(sentAt);
    }
}

;// CONCATENATED MODULE: ./src/draftclip/progress.ts

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
    return `${percent}% (${formatSize(sent)} of ${formatSize(total)}) at ${formatSize(rate)}/s`;
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

;// CONCATENATED MODULE: ./src/draftclip/upload.ts


/** Uploads one video, retrying only while DraftClip certainly has not taken it. */
async function uploadVideo(video, ctx) {
    for (let attempt = 1;; attempt++) {
        const pass = await ctx.gate.enter(ctx.signal);
        const stop = ctx.stopped();
        if (stop) {
            if ('done' in pass)
                pass.done();
            return { kind: 'stopped', reason: stop };
        }
        if ('spent' in pass)
            return { kind: 'stopped', reason: pass.spent, quota: true };
        const verdict = await sendOnce(video, ctx, pass.sentAt).finally(pass.done);
        if (verdict.kind === 'accepted')
            return verdict;
        if (verdict.kind === 'final')
            return verdict.outcome;
        if (verdict.kind === 'spent')
            return { kind: 'rate-limited', reason: verdict.reason };
        // A cancelled job (which may have cut this attempt short): no attempt follows, and this one was certainly not taken.
        if (ctx.signal?.aborted)
            return { kind: 'stopped', reason: ctx.stopped() ?? 'the job was cancelled' };
        const tried = `${attempt} attempt${attempt === 1 ? '' : 's'}`;
        if (attempt > ctx.retries) {
            const reason = `${verdict.reason}; gave up after ${tried}`;
            if (verdict.kind === 'rate-window')
                return { kind: 'rate-limited', reason };
            return verdict.unreachable ? { kind: 'unreachable', reason } : { kind: 'rejected', reason };
        }
        const next = `DraftClip did not take it, so attempt ${attempt + 1} of ${ctx.retries + 1} starts in`;
        if (verdict.kind === 'rate-window') {
            // The gate holds this upload and every other one: no sleep of its own.
            const seconds = (Math.max(0, verdict.until - ctx.clock.now()) / 1000).toFixed(1);
            ctx.warn(`${verdict.reason}; ${next} ${seconds} s, and every other upload waits as long`);
            continue;
        }
        const delay = retryDelayMs(attempt, verdict.retryAfter, ctx.clock.now(), ctx.clock.random(), ctx.timings);
        ctx.warn(`${verdict.reason}; ${next} ${(delay / 1000).toFixed(1)} s`);
        await ctx.clock.sleep(delay, ctx.signal);
    }
}
/** One attempt, judged; the gate learns of a 429 (or that a wait is over) before the next upload goes. */
async function sendOnce(video, ctx, sentAt) {
    const progress = progressTracker(video.size, ctx.clock.now);
    const result = await ctx.client.upload({
        ...video,
        onProgress: sent => {
            const line = progress(sent);
            if (line)
                ctx.log(line);
        }
    });
    const verdict = judgeUpload(result);
    if (result.kind === 'answer' && !(verdict.kind === 'retry' && verdict.rateLimited))
        ctx.gate.passed(sentAt);
    if (verdict.kind === 'accepted')
        return verdict;
    if (verdict.kind !== 'retry')
        return { kind: 'final', outcome: verdict };
    if (!verdict.rateLimited)
        return { kind: 'retry', reason: verdict.reason, retryAfter: verdict.retryAfter, unreachable: verdict.unreachable === true };
    const spent = (resetsAt) => `${verdict.reason}: the account's upload quota is spent (${quotaResets(resetsAt)}), so no further upload is sent this run`;
    const rate = ctx.gate.limited(verdict.retryAfter, sentAt, spent);
    if (rate.kind === 'wait')
        return { kind: 'rate-window', reason: verdict.reason, until: rate.until };
    return { kind: 'spent', reason: ctx.gate.spent ?? spent(rate.resetsAt) };
}

;// CONCATENATED MODULE: ./src/draftclip/poll-schedule.ts
/**
 * When to ask about a video again. Every status request is one of the
 * DraftClip plan's requests (the free plan has 1,000 a month), and TikTok
 * takes from seconds to many minutes: so the first gap is the shortest, each
 * gap while nothing changes is GROWTH times the one before, up to a ceiling,
 * and a status that changed is asked about again after the shortest gap (the
 * next one, a post ID after PUBLISH_COMPLETE, often follows soon).
 *
 * Tuned by `npm run bench` (the polling model): doubling up to 20 s keeps the
 * delay to knowing under 10 s (median) and 30 s (95th percentile) at under a
 * third of the doc's every-5-s requests. A 60 s ceiling misses the 95th
 * percentile (a video done just after a poll waits up to a whole gap), and at
 * 25-30 s the median hovers at 10-12 s.
 */
const GROWTH = 2;
/**
 * The gap before the next status request. `previousMs`: the gap before the
 * request just made (undefined before the first); `changed`: that request
 * saw a status unlike the last one seen. A failed request changes nothing:
 * the pace goes on growing, which is also gentler on a server in trouble.
 */
function nextGap(pace, previousMs, changed) {
    if (previousMs === undefined || changed)
        return pace.firstMs;
    return Math.round(Math.min(Math.max(pace.ceilingMs, pace.firstMs), Math.max(pace.firstMs, previousMs * GROWTH)));
}

;// CONCATENATED MODULE: ./src/draftclip/wait.ts



/**
 * Polls a video's status until there is nothing more to learn (isSettled):
 * a public video is polled on after PUBLISH_COMPLETE until its post ID
 * appears, which TikTok gives after moderation; a private one never gets one.
 * The gaps follow poll-schedule.ts; failed polls are asked again until the
 * deadline. The last poll comes no later than one shortest gap (or one request
 * ceiling, if shorter) before the deadline, never sooner than the shortest gap.
 */
async function waitForVideo(publishId, ctx) {
    const { clock } = ctx;
    let last;
    let lastProblem;
    /** The last status request never reached DraftClip (no connection). */
    let unreachable;
    const pace = { firstMs: ctx.intervalMs, ceilingMs: ctx.maxIntervalMs };
    let gap;
    let changed = false;
    /** The last status known, for the schedule: a change is asked about again soon. */
    let known = ctx.knownStatus;
    for (let polls = 1;; polls++) {
        gap = nextGap(pace, gap, changed);
        changed = false;
        let pause = polls === 1 && ctx.askNow ? 0 : gap;
        const timeout = () => ({ kind: 'timeout', status: last, lastProblem, ...(unreachable ? { unreachable } : {}) });
        // A gap that runs past the last moment to ask is cut short, so the final stretch still gets its answer.
        const lastAsk = ctx.deadline - Math.min(ctx.requestMs, ctx.intervalMs);
        if (clock.now() + pause > lastAsk)
            pause = Math.max(Math.min(pause, ctx.intervalMs), lastAsk - clock.now());
        if (clock.now() + pause >= ctx.deadline) {
            await clock.sleep(Math.max(0, ctx.deadline - clock.now()), ctx.signal);
            return ctx.stopped() ? stopped(ctx, last) : timeout();
        }
        await clock.sleep(pause, ctx.signal);
        if (ctx.stopped())
            return stopped(ctx, last);
        if (!(await ctx.budget.take(ctx.deadline, ctx.signal)))
            return ctx.stopped() ? stopped(ctx, last) : ended(ctx, last, timeout);
        const sentAt = clock.now();
        const left = ctx.deadline - sentAt;
        const attempt = await ctx.client.status(publishId, Math.min(ctx.requestMs, left), ctx.signal);
        if (ctx.stopped())
            return stopped(ctx, last);
        const verdict = judgeStatus(attempt, publishId);
        if (verdict.kind === 'transient' && verdict.rateLimited)
            ctx.budget.limited(verdict.retryAfter, sentAt, verdict.reason);
        else if (attempt.kind === 'answer')
            ctx.budget.passed(sentAt);
        if (ctx.budget.spent)
            return ended(ctx, last, timeout);
        if (verdict.kind === 'unauthorized')
            return { kind: 'unauthorized', reason: verdict.reason, status: last };
        if (verdict.kind === 'untrusted')
            return { kind: 'untrusted', reason: verdict.reason, status: last };
        if (verdict.kind === 'unknown' && ctx.untilKnown)
            return { kind: 'unknown', reason: verdict.reason };
        if (verdict.kind !== 'status') {
            lastProblem = verdict.reason;
            unreachable = neverReached(attempt) ? true : undefined;
            pollFailed(ctx, polls, verdict);
            continue;
        }
        const status = verdict.status;
        lastProblem = undefined;
        unreachable = undefined;
        changed = status.status !== known || status.postId !== last?.postId;
        known = status.status;
        if (status.status !== last?.status || status.postId !== last?.postId) {
            ctx.log(`${status.status}${status.postId ? `, post ID ${status.postId}` : ''}${status.failReason ? `: ${status.failReason}` : ''}`);
            last = status;
            await ctx.onStatus(status);
        }
        if (ctx.untilKnown)
            return { kind: 'known', status };
        if ((0,model_status/* isSettled */.Is)(status, ctx.privacyLevel))
            return { kind: 'complete', status };
    }
}
/** A status request that told nothing: a 503's Retry-After holds every poll as asked (a 429's window is the budget's), and the log says so. */
function pollFailed(ctx, polls, verdict) {
    const now = ctx.clock.now();
    const asked = verdict.kind === 'transient' && !verdict.rateLimited ? parseRetryAfter(verdict.retryAfter, now) : undefined;
    if (asked !== undefined)
        ctx.budget.holdUntil(now + asked);
    const held = verdict.rateLimited ? ctx.budget.nextSlot() - now : asked;
    const then = held !== undefined && held > 0 ? `every poll waits ${(held / 1000).toFixed(1)} s as DraftClip asked` : 'asking again';
    ctx.log(`status request ${polls} failed (${verdict.reason}); ${then}`);
}
/** The budget gave no turn: the status quota is spent, or the deadline came. */
function ended(ctx, last, timeout) {
    return ctx.budget.spent ? { kind: 'spent', reason: ctx.budget.spent, status: last } : timeout();
}
function stopped(ctx, last) {
    return { kind: 'stopped', reason: ctx.stopped() ?? 'the run stopped', status: last };
}

;// CONCATENATED MODULE: ./src/publish/send.ts










/**
 * Publishes the videos: at most `concurrency` uploads at once, each started
 * video polled while others upload. The board is changed only through
 * lifecycle steps, as things happen, so whatever was learned survives a
 * failure part way. Returns why the run stopped early, if it did.
 */
async function publishAll(board, settings, deps) {
    const shared = { slots: semaphore(settings.concurrency), done: [], gate: new RateGate(deps.clock, deps.timings) };
    board.decideAdmissions(settings.wait, deps.clock.now(), settings.maxUploads);
    if (!board.entries.some(e => e.admission?.kind === 'upload'))
        deps.uploadsBegin?.();
    board.useLogs(video => deps.logFor(video));
    // Started (and given upload slots) in the calendar's order: publish_at, then path. Results stay in file order.
    const order = board.entries.map((_, i) => i).sort((a, b) => dueOrder(board.entries[a].video, board.entries[b].video));
    const tasks = order.map(i => {
        const entry = board.entries[i];
        const task = (async () => {
            await publishOne(i, entry.admission, board, settings, deps, shared);
            entry.log.done(entry.result);
        })()
            .catch((error) => {
            // Only a video never sent becomes UPLOAD_FAILED; one that may be on TikTok keeps saying so.
            void board.apply(i, crashed(entry.result, error.message));
            throw error;
        })
            .finally(() => deps.deployments?.finish(i, entry.video.file, entry.result, entry.hash ? board.ledger?.get(entry.hash) : undefined));
        shared.done[i] = task.catch(() => undefined);
        return task;
    });
    const settled = await Promise.allSettled(tasks);
    const crash = settled.find(s => s.status === 'rejected');
    if (crash)
        throw crash.reason;
    const halt = board.runHalt(deps.signal);
    // A ledger that could not be written fails the run, beside whatever else stopped it (even a forgiven quota).
    const problem = await board.ledger?.settled().then(() => undefined, (error) => error.message);
    if (!problem || halt?.reason.includes(problem))
        return halt;
    return halt ? { ...halt, quota: false, reason: `${halt.reason} ${problem}` } : { scope: 'uploads', reason: problem };
}
async function publishOne(i, admission, board, settings, deps, shared) {
    const entry = board.entries[i];
    await board.apply(i, admitted(entry.result, admission, board.ref(i)));
    switch (admission.kind) {
        case 'busy':
            return;
        case 'twin': {
            const original = entry.twin;
            await shared.done[original];
            return board.apply(i, twinDone(entry.result, board.entries[original].result));
        }
        case 'skip':
            if (!admission.follow && !admission.askOnce)
                return;
            deps.deployments?.adopt(i, admission.entry);
            if (admission.askOnce)
                return askOnce(i, board, settings, deps);
            return pollUntilSettled(i, board, settings, deps, { earlier: true });
        case 'confirm':
            deps.deployments?.adopt(i, admission.entry);
            return pollUntilSettled(i, board, settings, deps, { earlier: true, confirm: true });
        case 'unconfirmed':
        case 'scheduled':
        case 'queued':
            return;
        case 'upload':
            break;
    }
    if (await uploadOne(i, board, settings, deps, shared))
        return;
    const r = entry.result;
    if (!settings.wait || r.publish_id === null)
        return;
    if (r.status === model_status/* Status */.nW.Unconfirmed)
        return pollUntilSettled(i, board, settings, deps, { earlier: false, confirm: true });
    return pollUntilSettled(i, board, settings, deps, { earlier: false });
}
/** Sends one admitted video in an upload slot. True: its task is over (not sent, or decided anew and finished). */
async function uploadOne(i, board, settings, deps, shared) {
    const entry = board.entries[i];
    const log = entry.log;
    await shared.slots.acquire();
    let released = false;
    try {
        const queue = settings.maxUploads !== undefined;
        const halt = board.uploadsHalt(deps.signal);
        if (halt) {
            deps.uploadsBegin?.();
            await board.apply(i, notAttempted(entry.result, halt.reason, queue && halt.quota === true));
            return true;
        }
        const video = entry.video;
        // The first claim is the last GitHub call the bound before the first upload covers.
        const again = await board.claim(i, deps.runState, deps.clock.now, settings.wait).finally(() => deps.uploadsBegin?.());
        if (again === 'refused')
            return true;
        if (again) {
            // Another run's entry arrived first (a merge): this video is decided anew, and not sent by this claim.
            shared.slots.release();
            released = true;
            board.admitAs(i, again);
            await publishOne(i, again, board, settings, deps, shared);
            return true;
        }
        // Its deployment before its first byte: GitHub refusing the run's first one stops the run with nothing sent.
        const refused = await deps.deployments?.start(i, video.file, entry.hash);
        if (refused !== undefined) {
            await board.apply(i, deploymentRefused(entry.result, refused));
            return true;
        }
        log.info(`uploading (${formatSize(video.size)}, ${video.privacyLevel}${video.sidecar ? `, settings from ${video.sidecar}` : ''})`);
        // This upload's read buffers, from the pool; back to it once the answer came (no byte of them is left to send).
        const ring = ReadBuffers.take();
        const outcome = await uploadVideo({
            name: video.name,
            size: video.size,
            contentType: video.contentType,
            fields: uploadFields(video),
            // The bytes sent are the ones checked (and hashed for the ledger), or the upload stops before its last byte.
            chunks: () => readChunks(video.path, video.size, ring, { shownAs: video.file, sha256: entry.hash, stamp: video.stamp })
        }, {
            client: board.wire(i).watch(deps.client, deps.signal),
            clock: deps.clock,
            retries: settings.retries,
            timings: deps.timings,
            gate: shared.gate,
            log: line => log.info(line),
            warn: line => log.warn(line),
            stopped: () => board.uploadsStopped(deps.signal),
            signal: deps.signal
        }).finally(() => ring.release());
        // The ledger learns the outcome before the slot goes to the next video.
        await board.apply(i, uploadStep(i, board, outcome, queue, deps.signal));
        return false;
    }
    finally {
        if (!released)
            shared.slots.release();
    }
}
/** What an upload's outcome makes of the video; one a cancelled job cut short (nothing of it taken) goes by the cancel's own rule, as the signal handler's does. */
function uploadStep(i, board, outcome, queue, signal) {
    const r = board.entries[i].result;
    const reach = board.wire(i).reach();
    if (signal?.aborted && reach !== 'may-have-left')
        return interrupted(r, CANCELLED.reason, board.ref(i), reach);
    return uploadEnded(r, outcome, board.ref(i), queue, board.uploadsHalt()?.quota === true);
}
function uploadFields(video) {
    const fields = { description: video.description, privacy_level: video.privacyLevel };
    if (video.title !== undefined)
        fields.title = video.title;
    return fields;
}
/**
 * Polls a video that has a publish id until there is nothing more to learn
 * (or the wait ends). `confirm`: first make sure DraftClip knows the id (an
 * unconfirmed upload), then wait on as usual when `wait` is on. `earlier`: the
 * id comes from an earlier run (the ledger).
 */
async function pollUntilSettled(i, board, settings, deps, how) {
    const entry = board.entries[i];
    const publishId = entry.result.publish_id;
    const deadline = deps.clock.now() + settings.waitTimeoutMs;
    const poll = (untilKnown) => waitForVideo(publishId, {
        client: deps.client,
        clock: deps.clock,
        budget: deps.budget,
        deadline,
        intervalMs: settings.pollIntervalMs,
        maxIntervalMs: settings.maxPollIntervalMs,
        privacyLevel: entry.result.privacy_level,
        knownStatus: entry.result.status,
        requestMs: deps.timings.statusRequestMs,
        askNow: untilKnown && how.earlier,
        untilKnown,
        log: line => entry.log?.info(line),
        onStatus: status => board.apply(i, statusSeen(entry.result, status, how.earlier, settings.maxUploads !== undefined)),
        stopped: () => board.pollsStopped(deps.signal),
        signal: deps.signal
    });
    const waitSeconds = Math.round(settings.waitTimeoutMs / 1000);
    let outcome = await poll(how.confirm === true);
    if (outcome.kind === 'known') {
        const r = entry.result;
        if (!settings.wait || (0,model_status/* isSettled */.Is)({ ...outcome.status, postId: outcome.status.postId ?? r.post_id }, r.privacy_level))
            return;
        outcome = await poll(false);
    }
    if (outcome.kind !== 'complete' && outcome.kind !== 'known')
        await board.apply(i, waitEnded(entry.result, outcome, waitSeconds));
}
/**
 * wait: false, for an upload an earlier run left with more to learn: one status request (in the
 * run's poll budget), no wait, so that one TikTok refused is reported and published again.
 */
async function askOnce(i, board, settings, deps) {
    const entry = board.entries[i];
    const publishId = entry.result.publish_id;
    const queue = settings.maxUploads !== undefined;
    const stopped = () => board.pollsStopped(deps.signal);
    let answer;
    if (stopped() || !(await deps.budget.take(deps.clock.now() + settings.waitTimeoutMs, deps.signal)) || stopped()) {
        answer = { kind: 'not-asked', reason: stopped() ?? 'the poll budget had no turn for it within wait-timeout' };
    }
    else {
        answer = judgeStatus(await deps.client.status(publishId, deps.timings.statusRequestMs, deps.signal), publishId);
    }
    await board.apply(i, askedOnce(entry.result, answer, queue));
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

;// CONCATENATED MODULE: ./src/videos/captions.ts

/** TikTok counts a caption in UTF-16 code units: an emoji outside the BMP counts 2. */
const MAX_CAPTION_UNITS = 2200;
/** When each run placeholder has a value, for the message that says why one has none. */
const PLACEHOLDER_SOURCES = {
    repo: 'set when GITHUB_REPOSITORY is',
    sha: 'set when the run has a commit',
    ref: 'set when the run has a branch or tag',
    tag: 'set on release events and tag pushes',
    run_url: 'set when the run has an id'
};
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
/** Run placeholders a template uses that have no value in this run: they would be posted literally. */
function missingRunPlaceholders(template, run) {
    const isRun = (name) => RUN_PLACEHOLDERS.includes(name);
    const names = new Set([...template.matchAll(PLACEHOLDER)].map(m => m[1]));
    return [...names].filter(isRun).filter(n => run[n] === undefined);
}
/** Half of a surrogate pair on its own (from a sidecar's "\ud83d"): no UTF-8 can carry it, so it would arrive as U+FFFD. */
function hasLoneSurrogate(text) {
    return /\p{Cs}/u.test(text);
}
/** The problem with a caption, or undefined when TikTok will take it. */
function captionProblem(caption) {
    if (caption.trim() === '')
        return 'the caption is empty';
    if (hasLoneSurrogate(caption))
        return 'the caption has a lone UTF-16 surrogate (half an emoji); DraftClip would get U+FFFD in its place';
    if (caption.length > MAX_CAPTION_UNITS) {
        return `the caption is ${caption.length} UTF-16 code units long; TikTok allows ${MAX_CAPTION_UNITS} (an emoji counts 2)`;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/videos/media-reading.ts
/** Where the data a file's tables describe ends past its end: how much is missing, beside the file's own size. */
function cutShort(dataEnd, size) {
    return dataEnd > size ? { missingBytes: dataEnd - size, fileBytes: size } : {};
}

;// CONCATENATED MODULE: ./src/videos/media-names.ts
/** Names and numbers every container's reading shares: codecs by their short names, and fps rounded once. */
const CODECS = {
    avc1: 'h264',
    avc2: 'h264',
    avc3: 'h264',
    avc4: 'h264',
    hvc1: 'hevc',
    hev1: 'hevc',
    dvh1: 'hevc',
    dvhe: 'hevc',
    vp08: 'vp8',
    vp09: 'vp9',
    av01: 'av1',
    mp4v: 'mpeg4',
    apcn: 'prores',
    apch: 'prores',
    apcs: 'prores',
    apco: 'prores',
    ap4h: 'prores',
    ap4x: 'prores',
    jpeg: 'mjpeg',
    mjpa: 'mjpeg',
    mjpb: 'mjpeg',
    s263: 'h263',
    h263: 'h263',
    // AVI's BITMAPINFOHEADER biCompression (matched in lower case)
    h264: 'h264',
    x264: 'h264',
    hevc: 'hevc',
    h265: 'hevc',
    xvid: 'mpeg4',
    divx: 'mpeg4',
    dx50: 'mpeg4',
    fmp4: 'mpeg4',
    mjpg: 'mjpeg',
    vp80: 'vp8',
    vp90: 'vp9'
};
/** The short name of a sample entry or fourcc; an unknown one keeps its own name, printable. */
function codecName(fourcc) {
    const key = fourcc.toLowerCase();
    return CODECS[key] ?? (key.replace(/[^\x21-\x7e]/g, '').trim() || 'unknown');
}
/** fps is rounded once, here, from the exact frames / duration: the rules judge the value shown (60.0045 is 60). */
const FPS_DIGITS = 2;
function round(value, digits) {
    const scale = 10 ** digits;
    return Math.round(value * scale) / scale;
}

;// CONCATENATED MODULE: ./src/videos/media-avi.ts


/**
 * An AVI read from its `hdrl` list (in its first few KB) and its chunk
 * headers: the first video stream's rate, length, size and codec; and where
 * the file says its data ends (RIFF and `movi` sizes, the `indx` super index,
 * the last `idx1` entries), to know a cut file without reading its frames.
 * An AVI written to a pipe has none of these filled in: its chunk headers are
 * walked instead, its frames counted and its last chunk's end taken.
 */
/** An hdrl larger than this is not metadata we will hold in memory. */
const MAX_HEADER_BYTES = 32 * 1024 * 1024;
/** Top-level chunks walked: a RIFF, its few lists, and an OpenDML file's AVIX parts (one per GB). */
const MAX_CHUNKS = 1000;
/** idx1 entries in file order: the last ones say where the data ends. */
const IDX1_TAIL_ENTRIES = 64;
/**
 * Chunks counted in the movi list of an AVI written to a pipe (its header says nothing of its length):
 * a 10-minute 60 fps video with its sound has about 70,000.
 */
const MAX_STREAMED_CHUNKS = 250_000;
/** What ffmpeg's AVI muxer leaves in the RIFF and movi sizes when it cannot seek back to fill them in. */
const UNSET_SIZE = 0xffffffff;
async function readAvi(source) {
    const unreadable = (why) => ({ kind: 'unreadable', container: 'avi', why });
    const head = await source.read(0, 24);
    if (head.length < 24 || head.toString('latin1', 12, 16) !== 'LIST' || head.toString('latin1', 20, 24) !== 'hdrl') {
        return unreadable("its header list ('LIST hdrl') is not where an AVI has it");
    }
    const size = head.readUInt32LE(16);
    if (size > MAX_HEADER_BYTES || 20 + size > source.size)
        return unreadable("its header list ('hdrl') is cut short or damaged");
    const stream = readHdrl(await source.read(24, size - 4));
    if (!stream.video)
        return { kind: 'no-video', container: 'avi', audio: stream.audio };
    const fps = stream.scale > 0 && stream.rate > 0 ? stream.rate / stream.scale : stream.frameUs > 0 ? 1e6 / stream.frameUs : 0;
    let frames = stream.frames;
    let dataEnd;
    if (head.readUInt32LE(4) === UNSET_SIZE) {
        // Written to a pipe (`ffmpeg ... -f avi pipe:1`): no size, length or index was filled in; its frames are counted instead.
        const counted = await countStreamed(source, 20 + size, stream.number);
        if (counted === undefined)
            return {
                kind: 'unjudged',
                container: 'avi',
                why: `its header does not say its length (it was written to a pipe) and its frames go on past the first ${MAX_STREAMED_CHUNKS.toLocaleString('en-US')} chunks, where the check stops reading`
            };
        ({ frames, dataEnd } = counted);
    }
    else
        dataEnd = Math.max(stream.indexEnd, await chunksEnd(source, head.readUInt32LE(4)));
    if (!(fps > 0) || frames === 0)
        return unreadable('its video stream has no frame rate or length');
    return {
        kind: 'video',
        container: 'avi',
        media: {
            duration: round(frames / fps, 3),
            width: stream.width,
            height: stream.height,
            fps: round(fps, FPS_DIGITS),
            codec: codecName(stream.codec),
            audio: stream.audio
        },
        ...cutShort(dataEnd, source.size)
    };
}
/** The header list: avih, then a strl per stream; only the first video stream is judged. */
function readHdrl(hdrl) {
    const stream = {
        video: false,
        audio: false,
        codec: '',
        rate: 0,
        scale: 0,
        frames: 0,
        width: 0,
        height: 0,
        frameUs: 0,
        indexEnd: 0,
        number: ''
    };
    let streams = 0;
    for (const [id, body] of riffChunks(hdrl)) {
        if (id === 'avih' && body.length >= 40) {
            stream.frameUs = body.readUInt32LE(0);
            stream.width = body.readUInt32LE(32);
            stream.height = body.readUInt32LE(36);
        }
        else if (id === 'LIST' && body.toString('latin1', 0, 4) === 'strl') {
            const video = stream.video;
            readStrl(body.subarray(4), stream);
            if (stream.video && !video)
                stream.number = String(streams).padStart(2, '0');
            streams++;
        }
    }
    return stream;
}
/** One stream's list: its header (strh), its format (strf) and its super index (indx), read only for the first video stream. */
function readStrl(strl, stream) {
    let first = false;
    for (const [id, body] of riffChunks(strl)) {
        if (id === 'strh' && body.length >= 36) {
            const type = body.toString('latin1', 0, 4);
            if (type === 'auds')
                stream.audio = true;
            first = type === 'vids' && !stream.video;
            if (first) {
                stream.video = true;
                stream.codec = body.toString('latin1', 4, 8);
                stream.scale = body.readUInt32LE(20);
                stream.rate = body.readUInt32LE(24);
                stream.frames = body.readUInt32LE(32);
            }
        }
        else if (id === 'strf' && first && body.length >= 20) {
            stream.width = body.readInt32LE(4) || stream.width;
            stream.height = Math.abs(body.readInt32LE(8)) || stream.height;
            // biCompression names the codec; strh's fccHandler is often a tool's own name.
            stream.codec = body.toString('latin1', 16, 20);
        }
        else if (id === 'indx' && first && body.length >= 24 && body[3] === 0) {
            // AVI_INDEX_OF_INDEXES: 16-byte entries (offset, size, duration) from byte 24, each an ix## chunk.
            const entries = Math.min(body.readUInt32LE(4), Math.floor((body.length - 24) / 16));
            for (let i = 0; i < entries; i++) {
                const at = 24 + i * 16;
                stream.indexEnd = Math.max(stream.indexEnd, Number(body.readBigUInt64LE(at)) + body.readUInt32LE(at + 8));
            }
        }
    }
}
/**
 * Where the file's own sizes say its data ends: the RIFF and each OpenDML
 * AVIX part after it, the movi list inside, and the last idx1 entries.
 */
async function chunksEnd(source, riffSize) {
    let end = 8 + riffSize;
    let movi = 0;
    // Inside the first RIFF, after 'AVI ': its lists and chunks; after it, AVIX parts (each a RIFF of its own).
    for (let at = 12, n = 0; at + 12 <= source.size && n < MAX_CHUNKS; n++) {
        const head = await source.read(at, 12);
        if (head.length < 12)
            break;
        const id = head.toString('latin1', 0, 4);
        const chunkEnd = at + 8 + head.readUInt32LE(4) + (head.readUInt32LE(4) & 1);
        end = Math.max(end, chunkEnd);
        if (id === 'LIST' && head.toString('latin1', 8, 12) === 'movi' && movi === 0)
            movi = at + 8;
        if (id === 'idx1' && chunkEnd <= source.size)
            end = Math.max(end, await idx1End(source, at, head.readUInt32LE(4), movi));
        // An AVIX part: walk into it; any other chunk is passed by whole.
        at = id === 'RIFF' ? at + 12 : chunkEnd;
    }
    return end;
}
/**
 * The first video stream's frames in an AVI whose sizes were never filled in, counted chunk by chunk
 * (headers only) from the first after the header list to the end of the file, stepping into lists
 * (movi, rec) as their sizes cannot be trusted; `dataEnd` is where the last chunk ends (past the file's
 * end: it was cut). Undefined past MAX_STREAMED_CHUNKS.
 */
async function countStreamed(source, from, stream) {
    let frames = 0;
    let at = from;
    for (let n = 0; at < source.size; n++) {
        if (n === MAX_STREAMED_CHUNKS)
            return undefined;
        const head = await source.read(at, 8);
        // Fewer bytes than a chunk header at the end: cut a few bytes into a chunk.
        if (head.length < 8)
            return { frames, dataEnd: at + 8 };
        const id = head.toString('latin1', 0, 4);
        const size = head.readUInt32LE(4);
        if (id === 'LIST' || id === 'RIFF') {
            at += 12;
            continue;
        }
        if (id.startsWith(stream) && (id.endsWith('dc') || id.endsWith('db')))
            frames++;
        at += 8 + size + (size & 1);
    }
    // A pad byte the file does not have is not data missing.
    return { frames, dataEnd: at > source.size + 1 ? at : Math.min(at, source.size) };
}
/** The end of the data the last idx1 entries point at (offsets from the movi list's fourcc, or from the file's start). */
async function idx1End(source, at, size, movi) {
    const entries = Math.floor(size / 16);
    if (entries === 0)
        return 0;
    const firstOffset = (await source.read(at + 8 + 8, 4)).readUInt32LE(0);
    const base = firstOffset >= movi && movi > 0 ? 0 : movi;
    const tail = Math.min(entries, IDX1_TAIL_ENTRIES);
    const bytes = await source.read(at + 8 + (entries - tail) * 16, tail * 16);
    let end = 0;
    for (let i = 0; i + 16 <= bytes.length; i += 16)
        end = Math.max(end, base + bytes.readUInt32LE(i + 8) + 8 + bytes.readUInt32LE(i + 12));
    return end;
}
/** The chunks of a RIFF list body: id and payload (padded to even sizes, as RIFF pads them). */
function* riffChunks(buf) {
    let at = 0;
    while (at + 8 <= buf.length) {
        const id = buf.toString('latin1', at, at + 4);
        const size = buf.readUInt32LE(at + 4);
        yield [id, buf.subarray(at + 8, Math.min(buf.length, at + 8 + size))];
        at += 8 + size + (size & 1);
    }
}

;// CONCATENATED MODULE: ./src/videos/media-boxes.ts
/**
 * ISO-BMFF boxes (MP4, MOV) as headers into a buffer: where each starts and
 * ends, and the one error a box that cannot hold what it claims raises.
 */
/** A box that cannot hold what it claims, or overruns its parent: the file is damaged. */
class Damaged extends Error {
}
/** The box header at `at` in `buf` (0-based in it), or undefined when it does not parse. */
function boxAt(buf, at, limit) {
    if (at + 8 > buf.length)
        return undefined;
    let size = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    let body = at + 8;
    if (size === 1) {
        if (at + 16 > buf.length)
            return undefined;
        size = Number(buf.readBigUInt64BE(at + 8));
        body = at + 16;
    }
    else if (size === 0) {
        size = limit - at;
    }
    if (size < body - at)
        return undefined;
    return { type, start: at, body, end: at + size };
}
/** The children of a box payload, as headers into `buf`. */
function* children(buf, from = 0, to = buf.length) {
    let at = from;
    while (at + 8 <= to) {
        const box = boxAt(buf, at, to);
        if (!box || box.end > to)
            throw new Damaged(`the '${buf.toString('latin1', at + 4, at + 8)}' box overruns its parent`);
        yield box;
        if (box.end <= at)
            return;
        at = box.end;
    }
}
function child(buf, parent, type) {
    for (const box of children(buf, parent.body, parent.end))
        if (box.type === type)
            return box;
    return undefined;
}
/** The box's bytes from `at` are there, or it is damaged. */
function need(buf, box, at, bytes) {
    if (at + bytes > box.end)
        throw new Damaged(`its '${box.type}' box is too short`);
    return buf;
}
/**
 * A table of `count` entries of `entryBytes` each from `at`: a count the box
 * cannot hold (an stsd claiming 4,294,967,295 entries in a few bytes) is damage,
 * never a loop over memory that is not there.
 */
function table(box, at, count, entryBytes) {
    if (at + count * entryBytes > box.end) {
        throw new Damaged(`its '${box.type}' box claims ${count.toLocaleString('en-US')} entries in ${box.end - box.start} bytes`);
    }
}
/** A full box's version byte. */
function version(buf, box) {
    return need(buf, box, box.body, 4)[box.body];
}
function num64(buf, at) {
    return Number(buf.readBigUInt64BE(at));
}

;// CONCATENATED MODULE: ./src/videos/media-fragments.ts

function noFragments() {
    return { tracks: new Map(), dataEnd: 0 };
}
const TFHD_BASE_OFFSET = 0x1;
const TFHD_DESCRIPTION = 0x2;
const TFHD_DURATION = 0x8;
const TFHD_SIZE = 0x10;
const TFHD_BASE_IS_MOOF = 0x20000;
const TRUN_DATA_OFFSET = 0x1;
const TRUN_FIRST_FLAGS = 0x4;
const TRUN_DURATION = 0x100;
const TRUN_SIZE = 0x200;
const TRUN_FLAGS = 0x400;
const TRUN_CTS = 0x800;
/**
 * Adds one moof (its bytes from its header on, found at `at` in the file) to
 * `into`. Data offsets are followed as the spec says: from tfhd's base, else
 * from the moof's first byte for the first traf and the previous traf's data
 * end for the next, and each trun from where the last one ended.
 */
function addMoof(moof, at, defaults, into) {
    const whole = { type: 'moof', start: 0, body: 8, end: moof.length };
    let previousEnd = at;
    let first = true;
    for (const traf of children(moof, whole.body, whole.end)) {
        if (traf.type !== 'traf')
            continue;
        const tfhd = child(moof, traf, 'tfhd');
        if (!tfhd)
            continue;
        const head = readTfhd(moof, tfhd, defaults);
        let base = head.base ?? (head.baseIsMoof || first ? at : previousEnd);
        first = false;
        const totals = into.tracks.get(head.track) ?? { frames: 0, ticks: 0, until: 0 };
        into.tracks.set(head.track, totals);
        const tfdt = child(moof, traf, 'tfdt');
        const start = tfdt ? readTfdt(moof, tfdt) : undefined;
        let ticks = 0;
        for (const trun of children(moof, traf.body, traf.end)) {
            if (trun.type !== 'trun')
                continue;
            const run = readTrun(moof, trun, head, base);
            totals.frames += run.frames;
            ticks += run.ticks;
            base = run.dataEnd;
            into.dataEnd = Math.max(into.dataEnd, run.dataEnd);
        }
        totals.ticks += ticks;
        if (start !== undefined)
            totals.until = Math.max(totals.until, start + ticks);
        previousEnd = base;
    }
}
function readTfhd(moof, tfhd, defaults) {
    const flags = need(moof, tfhd, tfhd.body, 8).readUInt32BE(tfhd.body) & 0xffffff;
    const track = moof.readUInt32BE(tfhd.body + 4);
    const fallback = defaults.get(track) ?? { duration: 0, size: 0 };
    let at = tfhd.body + 8;
    const field = (flag, bytes) => {
        if (!(flags & flag))
            return undefined;
        need(moof, tfhd, at, bytes);
        const value = bytes === 8 ? num64(moof, at) : moof.readUInt32BE(at);
        at += bytes;
        return value;
    };
    const base = field(TFHD_BASE_OFFSET, 8);
    field(TFHD_DESCRIPTION, 4);
    const duration = field(TFHD_DURATION, 4) ?? fallback.duration;
    const size = field(TFHD_SIZE, 4) ?? fallback.size;
    return { track, base, baseIsMoof: (flags & TFHD_BASE_IS_MOOF) !== 0, duration, size };
}
function readTfdt(moof, tfdt) {
    const v1 = version(moof, tfdt) === 1;
    need(moof, tfdt, tfdt.body + 4, v1 ? 8 : 4);
    return v1 ? num64(moof, tfdt.body + 4) : moof.readUInt32BE(tfdt.body + 4);
}
/** One track run: its samples, their durations, and where their data ends in the file. */
function readTrun(moof, trun, head, base) {
    const flags = need(moof, trun, trun.body, 8).readUInt32BE(trun.body) & 0xffffff;
    const count = moof.readUInt32BE(trun.body + 4);
    let at = trun.body + 8;
    let data = base;
    if (flags & TRUN_DATA_OFFSET) {
        need(moof, trun, at, 4);
        data = base + moof.readInt32BE(at);
        at += 4;
    }
    if (flags & TRUN_FIRST_FLAGS)
        at += 4;
    const fields = [TRUN_DURATION, TRUN_SIZE, TRUN_FLAGS, TRUN_CTS].filter(f => flags & f).length;
    table(trun, at, count, fields * 4);
    if (fields === 0 || !(flags & (TRUN_DURATION | TRUN_SIZE)))
        return { frames: count, ticks: count * head.duration, dataEnd: data + count * head.size };
    let ticks = 0;
    let bytes = 0;
    // Each sample's record: duration, size, flags, composition offset, whichever the flags say are there, in that order.
    for (let i = 0; i < count; i++) {
        let field = at + i * fields * 4;
        if (flags & TRUN_DURATION) {
            ticks += moof.readUInt32BE(field);
            field += 4;
        }
        else
            ticks += head.duration;
        bytes += flags & TRUN_SIZE ? moof.readUInt32BE(field) : head.size;
    }
    return { frames: count, ticks, dataEnd: data + bytes };
}
/** The sidx box (its bytes from its header on, found at `at` in the file). */
function readSidx(sidx, at) {
    const box = { type: 'sidx', start: 0, body: 8, end: sidx.length };
    const v1 = version(sidx, box) === 1;
    need(sidx, box, box.body, v1 ? 32 : 24);
    const track = sidx.readUInt32BE(box.body + 4);
    const timescale = sidx.readUInt32BE(box.body + 8);
    const firstOffset = v1 ? num64(sidx, box.body + 20) : sidx.readUInt32BE(box.body + 16);
    const refsAt = box.body + (v1 ? 28 : 20);
    const count = sidx.readUInt16BE(refsAt + 2);
    table(box, refsAt + 4, count, 12);
    let ticks = 0;
    let bytes = 0;
    for (let i = 0; i < count; i++) {
        bytes += sidx.readUInt32BE(refsAt + 4 + i * 12) & 0x7fffffff;
        ticks += sidx.readUInt32BE(refsAt + 8 + i * 12);
    }
    return { track, seconds: timescale > 0 ? ticks / timescale : 0, dataEnd: at + sidx.length + firstOffset + bytes };
}

;// CONCATENATED MODULE: ./src/videos/media-moov.ts

/** The moov box (its bytes from its header on), read; throws Damaged (or RangeError) where a box cannot hold what it claims. */
function parseMoov(buf) {
    const whole = { type: 'moov', start: 0, body: 8, end: buf.length };
    const movie = { timescale: 0, tracks: [], fragmented: false, fragmentDuration: undefined, defaults: new Map() };
    for (const box of children(buf, whole.body, whole.end)) {
        if (box.type === 'mvhd') {
            // version 0: 32-bit times, timescale at 12; version 1: 64-bit, timescale at 20.
            const v1 = version(buf, box) === 1;
            need(buf, box, box.body, v1 ? 24 : 16);
            movie.timescale = buf.readUInt32BE(box.body + (v1 ? 20 : 12));
        }
        else if (box.type === 'trak') {
            movie.tracks.push(parseTrak(buf, box));
        }
        else if (box.type === 'mvex') {
            movie.fragmented = true;
            readMvex(buf, box, movie);
        }
    }
    return movie;
}
function readMvex(buf, mvex, movie) {
    for (const box of children(buf, mvex.body, mvex.end)) {
        if (box.type === 'mehd') {
            const v1 = version(buf, box) === 1;
            need(buf, box, box.body + 4, v1 ? 8 : 4);
            movie.fragmentDuration = v1 ? num64(buf, box.body + 4) : buf.readUInt32BE(box.body + 4);
        }
        else if (box.type === 'trex') {
            // version/flags, track_ID, default description index, duration, size, flags.
            need(buf, box, box.body, 24);
            movie.defaults.set(buf.readUInt32BE(box.body + 4), {
                duration: buf.readUInt32BE(box.body + 12),
                size: buf.readUInt32BE(box.body + 16)
            });
        }
    }
}
function parseTrak(buf, trak) {
    const track = {
        id: 0,
        handler: '',
        width: 0,
        height: 0,
        quarterTurn: false,
        timescale: 0,
        duration: 0,
        frames: 0,
        ticks: 0,
        entry: '',
        entryWidth: 0,
        entryHeight: 0,
        dataEnd: 0
    };
    const tkhd = child(buf, trak, 'tkhd');
    if (tkhd)
        Object.assign(track, readTkhd(buf, tkhd));
    const mdia = child(buf, trak, 'mdia');
    if (!mdia)
        return track;
    const mdhd = child(buf, mdia, 'mdhd');
    if (mdhd)
        Object.assign(track, readMdhd(buf, mdhd));
    const hdlr = child(buf, mdia, 'hdlr');
    if (hdlr)
        track.handler = need(buf, hdlr, hdlr.body, 12).toString('latin1', hdlr.body + 8, hdlr.body + 12);
    const minf = child(buf, mdia, 'minf');
    const stbl = minf && child(buf, minf, 'stbl');
    if (!stbl)
        return track;
    const stsd = child(buf, stbl, 'stsd');
    if (stsd)
        Object.assign(track, readSampleEntry(buf, stsd, track.handler));
    const stts = child(buf, stbl, 'stts');
    if (stts)
        Object.assign(track, readStts(buf, stts));
    track.dataEnd = chunkDataEnd(buf, stbl);
    return track;
}
/** The track header: its id, its display size and whether its matrix turns it a quarter. */
function readTkhd(buf, tkhd) {
    // version 0: 32-bit times (track id at 12, matrix at 40), version 1: 64-bit (id at 20, matrix at 52); width and height follow the matrix.
    const v1 = version(buf, tkhd) === 1;
    const matrix = tkhd.body + (v1 ? 52 : 40);
    need(buf, tkhd, matrix, 44);
    const a = buf.readInt32BE(matrix);
    const b = buf.readInt32BE(matrix + 4);
    return {
        id: buf.readUInt32BE(tkhd.body + (v1 ? 20 : 12)),
        quarterTurn: a === 0 && b !== 0,
        width: buf.readUInt32BE(matrix + 36) / 65536,
        height: buf.readUInt32BE(matrix + 40) / 65536
    };
}
/** The media header: the track's timescale and its duration in that scale. */
function readMdhd(buf, mdhd) {
    if (version(buf, mdhd) === 1) {
        need(buf, mdhd, mdhd.body, 32);
        return { timescale: buf.readUInt32BE(mdhd.body + 20), duration: num64(buf, mdhd.body + 24) };
    }
    need(buf, mdhd, mdhd.body, 20);
    return { timescale: buf.readUInt32BE(mdhd.body + 12), duration: buf.readUInt32BE(mdhd.body + 16) };
}
/** The first sample entry: its codec, and for a video track the coded size it declares. */
function readSampleEntry(buf, stsd, handler) {
    const count = need(buf, stsd, stsd.body, 8).readUInt32BE(stsd.body + 4);
    // Every sample entry is a box of 8 bytes at least.
    table(stsd, stsd.body + 8, count, 8);
    if (count === 0)
        return {};
    const entry = boxAt8(buf, stsd);
    // A visual sample entry: 6 reserved, 2 index, 16 pre-defined, then width and height.
    if (handler === 'vide' && entry.body + 28 <= entry.end)
        return { entry: entry.type, entryWidth: buf.readUInt16BE(entry.body + 24), entryHeight: buf.readUInt16BE(entry.body + 26) };
    return { entry: entry.type };
}
function boxAt8(buf, stsd) {
    for (const entry of children(buf, stsd.body + 8, stsd.end))
        return entry;
    throw new Damaged("its 'stsd' box has no sample entry");
}
/** The time-to-sample table: how many samples (frames), and how long they last together. */
function readStts(buf, stts) {
    const count = need(buf, stts, stts.body, 8).readUInt32BE(stts.body + 4);
    table(stts, stts.body + 8, count, 8);
    let frames = 0;
    let ticks = 0;
    for (let i = 0; i < count; i++) {
        const samples = buf.readUInt32BE(stts.body + 8 + i * 8);
        frames += samples;
        ticks += samples * buf.readUInt32BE(stts.body + 12 + i * 8);
    }
    return { frames, ticks };
}
/**
 * Where the sample data the tables describe ends: each chunk's offset (stco,
 * co64) plus the sizes (stsz) of the samples in it (stsc). 0 when the tables
 * say nothing (a fragmented file's empty ones, or compact stz2 sizes).
 */
function chunkDataEnd(buf, stbl) {
    const stco = child(buf, stbl, 'stco') ?? child(buf, stbl, 'co64');
    const stsc = child(buf, stbl, 'stsc');
    const stsz = child(buf, stbl, 'stsz');
    if (!stco || !stsc || !stsz)
        return 0;
    const wide = stco.type === 'co64';
    const chunks = need(buf, stco, stco.body, 8).readUInt32BE(stco.body + 4);
    table(stco, stco.body + 8, chunks, wide ? 8 : 4);
    const runs = need(buf, stsc, stsc.body, 8).readUInt32BE(stsc.body + 4);
    table(stsc, stsc.body + 8, runs, 12);
    const uniform = need(buf, stsz, stsz.body, 12).readUInt32BE(stsz.body + 4);
    const samples = buf.readUInt32BE(stsz.body + 8);
    if (uniform === 0)
        table(stsz, stsz.body + 12, samples, 4);
    let end = 0;
    let sample = 0;
    // The last chunk counted: runs whose first chunks do not increase (damage) never count a chunk twice, so
    // the walk is at most one step per chunk, not runs x chunks (hours for a few MB of hostile tables).
    let counted = 0;
    for (let run = 0; run < runs; run++) {
        const first = buf.readUInt32BE(stsc.body + 8 + run * 12);
        const perChunk = buf.readUInt32BE(stsc.body + 12 + run * 12);
        const next = run + 1 < runs ? buf.readUInt32BE(stsc.body + 8 + (run + 1) * 12) : chunks + 1;
        for (let c = Math.max(1, first, counted + 1); c < next && c <= chunks && sample < samples; c++) {
            counted = c;
            let at = wide ? num64(buf, stco.body + 8 + (c - 1) * 8) : buf.readUInt32BE(stco.body + 8 + (c - 1) * 4);
            const take = Math.min(perChunk, samples - sample);
            // Uniform sizes (PCM sound: a sample a byte, millions of them) are counted, not summed one by one.
            if (uniform !== 0)
                at += take * uniform;
            else
                for (let s = 0; s < take; s++)
                    at += buf.readUInt32BE(stsz.body + 12 + (sample + s) * 4);
            sample += take;
            end = Math.max(end, at);
        }
    }
    return end;
}

;// CONCATENATED MODULE: ./src/videos/media-iso.ts





/**
 * An ISO-BMFF file (MP4, MOV) read from its box headers and metadata only:
 * the top-level boxes are walked, `moov` is parsed wherever it is, and for a
 * fragmented file each `moof` (and a `sidx`) after it; `mdat` is never read.
 */
/** A moov, or all the moofs together, larger than this is not metadata we will hold in memory (a 10-minute 60 fps video's moov is under 1 MB). */
const MAX_METADATA_BYTES = 32 * 1024 * 1024;
/** The walk gives up after this many top-level boxes (a fragmented file has a pair per fragment). */
const MAX_TOP_BOXES = 100_000;
async function readIso(source) {
    let where = 'moov';
    try {
        const walk = await walkBoxes(source, type => (where = type));
        return typeof walk === 'string' ? unreadable(walk) : judgeWalk(walk, source.size);
    }
    catch (error) {
        if (error instanceof Damaged || error instanceof RangeError)
            return unreadable(`its '${where}' box does not parse (${error.message})`);
        throw error;
    }
}
const unreadable = (why) => ({ kind: 'unreadable', container: 'iso', why });
/** The top-level boxes, headers only but for moov, moof and sidx; a string says why the file is damaged. */
async function walkBoxes(source, parsing) {
    const walk = { movie: undefined, fragments: noFragments(), index: undefined, stoppedAt: undefined, cutInside: undefined };
    let metadata = 0;
    for (let at = 0, n = 0; at < source.size; n++) {
        if (n === MAX_TOP_BOXES)
            return { ...walk, stoppedAt: at };
        const box = boxAt(await source.read(at, 16), 0, source.size - at);
        if (!box) {
            // Fewer bytes than a box header at the end: a file cut a few bytes into a box.
            if (source.size - at < 16)
                return { ...walk, cutInside: at + 16 };
            return `a box header at byte ${at} does not parse`;
        }
        const end = at + box.end;
        if (box.type === 'moov' && end > source.size)
            return `its 'moov' box is cut short (the file ends at byte ${source.size} of ${end})`;
        if (end > source.size)
            return { ...walk, cutInside: end };
        const wanted = box.type === 'moov' || (walk.movie?.fragmented && box.type === 'moof') || (box.type === 'sidx' && !walk.index);
        if (wanted) {
            if (metadata + box.end > MAX_METADATA_BYTES)
                return { ...walk, stoppedAt: at };
            metadata += box.end;
            parsing(box.type);
            const bytes = await source.read(at, box.end);
            if (box.type === 'moov')
                walk.movie = parseMoov(bytes);
            else if (box.type === 'moof')
                addMoof(bytes, at, walk.movie.defaults, walk.fragments);
            else
                walk.index = readSidx(bytes, at);
            // Every sample of an unfragmented file is in moov's tables: nothing after it matters.
            if (walk.movie && !walk.movie.fragmented)
                return walk;
        }
        at = end;
    }
    return walk;
}
/** The reading of a walk: the first video track's media, or why it cannot be judged, and how much of the file is missing. */
function judgeWalk(walk, size) {
    const { movie } = walk;
    if (!movie) {
        if (walk.stoppedAt !== undefined)
            return unjudged(`its 'moov' box is not within the first ${MAX_TOP_BOXES.toLocaleString('en-US')} boxes and ${MAX_METADATA_BYTES / 1024 / 1024} MB of metadata, where the check stops reading`);
        return unreadable("it has no 'moov' box (the metadata an unfinished render or a cut download lacks)");
    }
    const audio = movie.tracks.some(t => t.handler === 'soun');
    const video = movie.tracks.find(t => t.handler === 'vide');
    if (!video)
        return { kind: 'no-video', container: 'iso', audio };
    const fragments = walk.fragments.tracks.get(video.id);
    const frames = video.frames + (fragments?.frames ?? 0);
    const ticks = video.ticks + (fragments?.ticks ?? 0);
    let seconds = fragments ? Math.max(fragments.until, ticks) / video.timescale : (video.duration || video.ticks) / video.timescale;
    if (walk.stoppedAt !== undefined) {
        const known = movie.fragmentDuration && movie.timescale ? movie.fragmentDuration / movie.timescale : walk.index?.seconds;
        if (!known)
            return unjudged(`it is a fragmented MP4 whose fragments go on past the first ${MAX_TOP_BOXES.toLocaleString('en-US')} boxes, where the check stops reading, and no 'mehd' or 'sidx' box says its duration`);
        seconds = known;
    }
    if (!(video.timescale > 0 && frames > 0 && ticks > 0 && seconds > 0)) {
        return unreadable(movie.fragmented
            ? "its video track has no frames or timing in 'moov' nor in any fragment after it"
            : "its video track has no frames or timing in 'moov' (an empty track)");
    }
    let width = Math.round(video.width) || video.entryWidth;
    let height = Math.round(video.height) || video.entryHeight;
    if (video.quarterTurn)
        [width, height] = [height, width];
    const dataEnd = Math.max(walk.cutInside ?? 0, walk.fragments.dataEnd, walk.index?.dataEnd ?? 0, ...movie.tracks.map(t => t.dataEnd));
    return {
        kind: 'video',
        container: 'iso',
        media: {
            duration: round(seconds, 3),
            width,
            height,
            fps: round(frames / (ticks / video.timescale), FPS_DIGITS),
            codec: codecName(video.entry),
            audio
        },
        ...cutShort(dataEnd, size)
    };
}
const unjudged = (why) => ({ kind: 'unjudged', container: 'iso', why });

;// CONCATENATED MODULE: ./src/videos/media.ts



/** One read at the start serves a faststart file's header and moov at once. */
const FIRST_READ_BYTES = 64 * 1024;
/** Reads a file's container; never throws for what is in the file, only for a file that cannot be read. */
async function readMedia(file, size, container) {
    return (await inspectFile(file, size, 0, () => container)).reading;
}
/**
 * A file's first `headBytes`, and its container read when `containerFor(head)`
 * names one: one open and, for most files, one read (2,000 videos are checked
 * one after another).
 */
async function inspectFile(file, size, headBytes, containerFor) {
    const handle = await promises_.open(file, 'r');
    try {
        const source = fileSource(handle, size);
        const head = await source.read(0, headBytes);
        const container = containerFor(head);
        return { head, reading: container ? await readContainer(source, container) : undefined };
    }
    finally {
        await handle.close();
    }
}
/**
 * A small read past the first 64 KiB (a box or chunk header, a moof) is served from a block read ahead of
 * it: AHEAD_MIN bytes, doubled up to AHEAD_MAX while the walk goes on straight after the last block (100,000
 * tiny boxes: a few reads, not 100,000), back to AHEAD_MIN after a jump (a header past a large mdat costs a
 * page, not 64 KiB). Larger reads (a moov) go to the file as asked.
 */
const AHEAD_MIN = 4 * 1024;
const AHEAD_MAX = 1024 * 1024;
const SMALL_READ = 16 * 1024;
/** A source over an open file whose first 64 KiB are read once and served from memory, and small reads after them from blocks read ahead. */
function fileSource(handle, size) {
    let first;
    let block;
    let ahead = AHEAD_MIN;
    const readAt = async (offset, length) => {
        const buffer = Buffer.allocUnsafe(Math.max(0, Math.min(length, size - offset)));
        let done = 0;
        while (done < buffer.length) {
            const { bytesRead } = await handle.read(buffer, done, buffer.length - done, offset + done);
            if (bytesRead === 0)
                break;
            done += bytesRead;
        }
        return buffer.subarray(0, done);
    };
    const fromBlock = async (offset, length) => {
        if (!block || offset < block.start || offset + length > block.end) {
            // Straight on from the last block (or within it): the walk is going through small boxes; read further ahead.
            ahead = block && offset >= block.start && offset <= block.end + ahead ? Math.min(ahead * 2, AHEAD_MAX) : AHEAD_MIN;
            const span = Math.max(ahead, length);
            block = { start: offset, end: Math.min(size, offset + span), bytes: readAt(offset, span) };
        }
        const { start, bytes } = block;
        return (await bytes).subarray(offset - start, offset - start + length);
    };
    return {
        size,
        read: async (offset, length) => {
            if (offset + length <= FIRST_READ_BYTES) {
                first ??= readAt(0, FIRST_READ_BYTES);
                return (await first).subarray(offset, offset + length);
            }
            return length <= SMALL_READ ? fromBlock(offset, length) : readAt(offset, length);
        }
    };
}
async function readContainer(source, container) {
    return container === 'avi' ? readAvi(source) : readIso(source);
}


;// CONCATENATED MODULE: ./src/videos/media-fixes.ts
/**
 * The ffmpeg commands that fix a video, copy-paste ready for its own file:
 * the input is the path the message names, the output a name beside it. A
 * file name is untrusted text, so each is one bash word that runs nothing
 * when pasted, whatever the name holds.
 */
/** Names bash and ffmpeg both take as they are. */
const PLAIN = /^[A-Za-z0-9_./-]+$/;
/**
 * What the log, the annotations and the summary show as something else (printable() in github/log.ts:
 * controls, line and paragraph separators, bidi overrides and isolates): such a name is spelt in escapes,
 * so the command still names the file after the log has made them visible. A tab too (a pasted tab completes).
 */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const SHOWN_OTHERWISE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/**
 * A path as one bash word that ffmpeg reads as a file: bare when plain, else in single quotes (a quote
 * as '\''), or $'…' with escapes where the log would show a character otherwise. A relative name that
 * starts with '-' (an option to ffmpeg) or whose first part holds ':' (a protocol: 'pipe:1.mp4') gets './'.
 */
function shellWord(file) {
    const name = file.startsWith('-') || /^[^/]*:/.test(file) ? `./${file}` : file;
    if (PLAIN.test(name))
        return name;
    if (!SHOWN_OTHERWISE.test(name))
        return `'${name.replaceAll("'", `'\\''`)}'`;
    let escaped = '';
    for (const c of name) {
        if (c === '\\' || c === "'")
            escaped += `\\${c}`;
        else if (SHOWN_OTHERWISE.test(c))
            for (const byte of Buffer.from(c, 'utf8'))
                escaped += `\\x${byte.toString(16).padStart(2, '0')}`;
        else
            escaped += c;
    }
    return `$'${escaped}'`;
}
/**
 * Where a fix writes: beside the video, never over it ('videos/clip.mp4' -> 'videos/clip.tiktok.mp4').
 * A MOV stays a MOV (a stream copy keeps what MP4 may not hold, such as PCM sound); the rest become MP4.
 */
function fixedPath(file) {
    const slash = file.lastIndexOf('/');
    const dot = file.lastIndexOf('.');
    const stem = dot > slash + 1 ? file.slice(0, dot) : file;
    const ext = stem === file ? '' : file.slice(dot).toLowerCase();
    return `${stem}.tiktok${ext === '.mov' ? '.mov' : '.mp4'}`;
}
/** One ffmpeg command from the video to its fixed copy, `flags` between them. */
function ffmpegFix(file, flags) {
    const avi = /\.avi$/i.test(file);
    const keep = avi ? { audio: '-c:a aac', all: '-c:v copy -c:a aac' } : { audio: '-c:a copy', all: '-c copy' };
    return `ffmpeg -i ${shellWord(file)} ${flags(keep)} ${shellWord(fixedPath(file))}`;
}
/** The fix for a file whose metadata the check cannot reach or add up: the same video, its metadata first and whole. */
function remuxFix(file) {
    return `remux it with its metadata first: ${ffmpegFix(file, keep => `${keep.all} -movflags +faststart`)}`;
}

;// CONCATENATED MODULE: ./src/videos/media-rules.ts


/**
 * TikTok's media rules (Content Posting API, media transfer guide), judged on
 * what media.ts read. TikTok checks these only after the upload and the wait,
 * and each refusal costs a post of the day and an upload of the month.
 */
const TIKTOK = {
    minFps: 23,
    maxFps: 60,
    minSide: 360,
    maxSide: 4096,
    codecs: ['h264', 'hevc', 'vp8', 'vp9']
};
const CODEC_NAMES = {
    mpeg4: 'MPEG-4 Part 2',
    prores: 'ProRes',
    mjpeg: 'Motion JPEG',
    av1: 'AV1',
    h263: 'H.263'
};
/** A finding as one sentence: the problem, then its fix. */
function findingText(finding) {
    return finding.fix ? `${finding.problem}; to fix it: ${finding.fix}` : finding.problem;
}
/**
 * A broken rule under `media-check: warn`: uploaded anyway (in a dry run, would
 * be), what TikTok will likely say, then the fix.
 */
function anywayText(finding, dryRun) {
    const verdict = finding.failReason ? `, and TikTok will likely refuse it (${finding.failReason})` : '';
    const fix = finding.fix ? `; to fix it: ${finding.fix}` : '';
    return `${finding.problem}; it ${dryRun ? 'would be' : 'is'} uploaded anyway (media-check: warn)${verdict}${fix}`;
}
const AGAIN = 'download or render it again';
const REENCODE = '-c:v libx264 -crf 20 -pix_fmt yuv420p';
/**
 * The rules, applied to one reading. Values are compared as shown (fps to two decimals, seconds to
 * milliseconds), rounded once by media.ts. `file` is the video's path as the message shows it: each
 * fix is a command for that file.
 */
function judgeMedia(reading, maxDuration, file) {
    const problems = [];
    const warnings = [];
    if (reading.container === 'avi') {
        warnings.push({
            problem: "AVI is a container DraftClip takes but TikTok's docs do not list (MP4, MOV, WebM): TikTok may refuse it; MP4 is the safe choice",
            failReason: 'file_format_check_failed',
            fix: ffmpegFix(file, keep => keep.all)
        });
    }
    if (reading.kind === 'unreadable') {
        problems.push({ problem: `it is incomplete or damaged: ${reading.why}`, failReason: 'file_format_check_failed', fix: AGAIN });
        return { problems, warnings };
    }
    if (reading.kind === 'unjudged') {
        problems.push({ problem: `it could not be judged: ${reading.why}`, fix: remuxFix(file) });
        return { problems, warnings };
    }
    if (reading.kind === 'no-video') {
        problems.push({
            problem: `it has no video track${reading.audio ? ' (audio only)' : ''}: TikTok takes only videos`,
            failReason: 'file_format_check_failed'
        });
        return { problems, warnings };
    }
    if (reading.missingBytes !== undefined)
        problems.push(cutProblem(reading.container, reading.missingBytes, reading.fileBytes ?? 0));
    problems.push(...ruleProblems(reading.media, maxDuration, file));
    return { problems, warnings };
}
/**
 * TikTok's largest upload (media transfer guide: 4 GB). Tables that put a video's end past it do not tell
 * of a cut download but of a size field that lies (a 64-bit box size of 2^64 read as 16,777,216 TB missing).
 */
const MAX_TIKTOK_BYTES = 4 * 1024 ** 3;
/** A file that ends before its data: cut off by so much, or, past any size a video could have, damaged. */
function cutProblem(container, missing, size) {
    const problem = size + missing > MAX_TIKTOK_BYTES
        ? `it is incomplete or damaged: its ${container === 'avi' ? 'chunks' : 'boxes'} claim more data than the file holds (the file is ${formatSize(size)})`
        : `cut off: ${formatSize(missing)} of its video data are missing`;
    return { problem, failReason: 'file_format_check_failed', fix: AGAIN };
}
/** TikTok's rules on what was read: codec, duration, frame rate, picture size, each with its fix. */
function ruleProblems(media, maxDuration, file) {
    const problems = [];
    if (!TIKTOK.codecs.includes(media.codec)) {
        const name = CODEC_NAMES[media.codec] ? `${media.codec} (${CODEC_NAMES[media.codec]})` : media.codec;
        problems.push({
            problem: `its video codec is ${name}: TikTok takes H.264, H.265/HEVC, VP8 or VP9`,
            failReason: 'file_format_check_failed',
            fix: ffmpegFix(file, () => `${REENCODE} -c:a aac`)
        });
    }
    if (media.duration > maxDuration) {
        problems.push({
            problem: `it lasts ${media.duration} s, over max-duration ${maxDuration} s`,
            failReason: 'duration_check_failed',
            // Re-encoded: a stream copy cut with -t ends at a packet, not at the second (a 600 s cut of an H.264 file came out 602 s).
            fix: ffmpegFix(file, () => `-t ${maxDuration} ${REENCODE} -c:a aac`)
        });
    }
    // Already rounded once, to two decimals, by media.ts: rounding again would move 60.0045 to 60.01.
    const { fps } = media;
    if (fps < TIKTOK.minFps || fps > TIKTOK.maxFps) {
        problems.push({
            problem: `its frame rate is ${fps} fps: TikTok takes ${TIKTOK.minFps} to ${TIKTOK.maxFps} fps`,
            failReason: 'frame_rate_check_failed',
            fix: ffmpegFix(file, keep => `-vf fps=${fps < TIKTOK.minFps ? 30 : TIKTOK.maxFps} ${REENCODE} ${keep.audio}`)
        });
    }
    const outside = (side) => side < TIKTOK.minSide || side > TIKTOK.maxSide;
    if (outside(media.width) || outside(media.height)) {
        problems.push({
            problem: `its picture is ${media.width}x${media.height} px: TikTok takes a width and a height each from ${TIKTOK.minSide} to ${TIKTOK.maxSide} px`,
            failReason: 'picture_size_check_failed',
            fix: ffmpegFix(file, keep => `-vf ${scaleFilter(media.width, media.height)} ${REENCODE} ${keep.audio}`)
        });
    }
    return problems;
}
/** The scale filter that brings a picture's short side up to 360 px, or its long side down to 4096 px (the other side follows, even). */
function scaleFilter(width, height) {
    const wide = width >= height;
    if (Math.min(width, height) < TIKTOK.minSide)
        return wide ? `scale=-2:${TIKTOK.minSide}` : `scale=${TIKTOK.minSide}:-2`;
    return wide ? `scale=${TIKTOK.maxSide}:-2` : `scale=-2:${TIKTOK.maxSide}`;
}
/** A text file that Git LFS left in place of the video (a checkout without `lfs: true`). */
function isLfsPointer(head) {
    return head.toString('latin1', 0, LFS_POINTER.length) === LFS_POINTER;
}
const LFS_POINTER = 'version https://git-lfs.github.com/spec/v1';
const LFS_PROBLEM = 'it is a Git LFS pointer, not the video: check the repository out with `lfs: true` (actions/checkout) so the video itself is there';

;// CONCATENATED MODULE: ./src/videos/stray-sidecars.ts



/**
 * Sidecars beside the matched videos that no video reads. One named after a video without its extension
 * ('v7.draftclip.json' beside 'v7.mp4') holds settings the user meant for it: posting the video with the defaults
 * (another caption, now instead of its publish_at) cannot be undone, so that video is refused until it is renamed.
 * One whose video is not there at all is only said (nothing is published wrongly). A sidecar of a file that is
 * there but not matched is left alone: the patterns chose not to publish it.
 */
function straySidecars(videos, siblings) {
    // The matched videos by folder and stem, in lower case: a sidecar spelled in another case is as surely meant for it.
    const byStem = new Map();
    for (const v of videos) {
        const key = `${external_node_path_.dirname(v)}/${stem(external_node_path_.basename(v)).toLowerCase()}`;
        byStem.set(key, [...(byStem.get(key) ?? []), v]);
    }
    const stray = [];
    for (const [dir, names] of siblings) {
        const here = new Set(names);
        const hereLower = new Set(names.map(n => n.toLowerCase()));
        for (const name of names) {
            if (!name.endsWith(SIDECAR_SUFFIX))
                continue;
            const target = name.slice(0, -SIDECAR_SUFFIX.length);
            // A file of that name in another case: readSidecars names the sidecar (it must be spelled as its video).
            if (target === '' || hereLower.has(target.toLowerCase()))
                continue;
            const sidecar = external_node_path_.join(dir, name);
            const meant = byStem.get(`${dir}/${target.toLowerCase()}`) ?? [];
            const unread = meant.filter(v => !here.has(external_node_path_.basename(v) + SIDECAR_SUFFIX));
            for (const v of unread) {
                const video = external_node_path_.basename(v);
                stray.push({
                    sidecar,
                    video: v,
                    problem: `it is not read: a sidecar is named after the whole file name, '${video}${SIDECAR_SUFFIX}', so '${video}' would go out without these settings; rename it`
                });
            }
            if (meant.length === 0)
                stray.push({ sidecar, problem: `its video '${target}' is not there (renamed or removed?): the sidecar is not used` });
            else if (unread.length === 0)
                stray.push({ sidecar, problem: `it is not read: each video it could be for has its own sidecar, named after its whole file name` });
        }
    }
    return stray;
}
/** The names in each folder that holds a matched video (a folder that cannot be listed: none). */
async function videoSiblings(videos) {
    const dirs = [...new Set(videos.map(v => external_node_path_.dirname(v)))];
    const listed = await Promise.all(dirs.map(dir => promises_.readdir(dir).catch(() => [])));
    return new Map(dirs.map((dir, i) => [dir, listed[i]]));
}
function stem(name) {
    const ext = external_node_path_.extname(name);
    return ext ? name.slice(0, -ext.length) : name;
}

;// CONCATENATED MODULE: ./src/videos/check.ts










const CONTENT_TYPES = {
    '.mp4': 'video/mp4',
    '.mov': 'video/quicktime',
    '.avi': 'video/x-msvideo'
};
class VideoCheckError extends Error {
    videos;
    problems;
    /** The video each problem refuses (its absolute path), where it refuses one. */
    refuses = new Map();
    constructor(refusals, 
    /** Every video the checks described, refused or not: the run reports each. */
    videos = []) {
        const problems = refusals.map(({ file, problem }) => ({ file, problem }));
        const files = new Set(problems.map(p => p.file)).size;
        super(`${files} file${files === 1 ? '' : 's'} cannot be published, so nothing was uploaded:\n` +
            problems.map(p => `  - ${p.file}: ${p.problem}`).join('\n'));
        this.videos = videos;
        this.name = 'VideoCheckError';
        this.problems = problems;
        refusals.forEach((r, i) => r.video && this.refuses.set(problems[i], r.video));
    }
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
        problems.push(`${formatSize(size)} is over DraftClip's limit of 500 MB (${MAX_VIDEO_BYTES.toLocaleString('en-US')} bytes)`);
    }
    const container = containerProblem(ext, head);
    if (container)
        problems.push(container);
    return problems;
}
function containerProblem(ext, head) {
    const at = (offset, text) => head.length >= offset + text.length && head.toString('latin1', offset, offset + text.length) === text;
    if (isLfsPointer(head))
        return LFS_PROBLEM;
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
async function checkVideos(paths, settings, loadRun, notice = () => undefined, warn = () => undefined, 
/**
 * Given, a broken media rule goes here instead of refusing (or warning) at
 * once, so the caller judges it after the ledger's admission; it is applied
 * here as before when another problem refuses the step anyway (the whole list).
 */
deferMedia) {
    const problems = [];
    const shown = (p) => workspacePath(p, settings.workspace);
    const found = await statFiles(paths, shown, problems, notice, settings.mediaCheck ?? 'off');
    const videoPaths = found.map(f => f.path);
    for (const stray of straySidecars(videoPaths, await videoSiblings(videoPaths))) {
        if (stray.video)
            problems.push({ file: shown(stray.sidecar), problem: stray.problem, video: stray.video });
        else
            warn({ file: shown(stray.sidecar), problem: stray.problem });
    }
    const media = judgeAllMedia(found, settings, shown, problems, warn, deferMedia !== undefined);
    const sidecars = await readSidecars(found, shown, problems);
    const templates = [settings.description, settings.title, ...[...sidecars.values()].flatMap(s => [s.sidecar.description, s.sidecar.title])];
    const run = templates.some(t => t !== undefined && usesRunPlaceholders(t)) ? await loadRun() : { vars: {}, event: '' };
    const videos = found.map((file, i) => describeVideo(file, i, found.length, settings, sidecars.get(file.path), run, shown, problems));
    if (deferMedia) {
        const byMedia = new Set(media);
        if (problems.some(p => !byMedia.has(p))) {
            // Refused anyway, before the ledger: every problem listed as before, media ones included.
            if ((settings.mediaCheck ?? 'off') !== 'error')
                for (const m of media) {
                    // Nothing of this run is uploaded: it would be, were nothing else refused.
                    const anyway = anywayText({ problem: m.rule, fix: m.fix, failReason: m.failReason }, true);
                    warn({ file: m.file, problem: anyway });
                    found.find(f => f.path === m.path)?.warnings.push(anyway);
                }
        }
        else {
            deferMedia.push(...media);
            return videos;
        }
    }
    if (problems.length > 0)
        throw new VideoCheckError(problems.map(({ file, problem, video }) => ({ file, problem, video })), videos);
    return videos;
}
/** Each path checked as a file DraftClip takes; the same file reached twice (a link beside its target) is one video. */
async function statFiles(paths, shown, problems, notice, mediaCheck) {
    const found = [];
    const seen = new Map();
    for (const file of paths) {
        let stat;
        try {
            stat = await promises_.stat(file);
        }
        catch (error) {
            problems.push({ file: shown(file), problem: statProblem(error), video: file });
            continue;
        }
        if (stat.isDirectory()) {
            // A folder matched by `videos/*` is just passed by; one named like a video is a mistake worth naming.
            if (external_node_path_.extname(file).toLowerCase() in CONTENT_TYPES)
                problems.push({ file: shown(file), problem: 'it is a directory, not a video file', video: file });
            continue;
        }
        if (!stat.isFile()) {
            problems.push({ file: shown(file), problem: 'it is not a regular file', video: file });
            continue;
        }
        const name = external_node_path_.basename(file);
        const container = external_node_path_.extname(name).toLowerCase() === '.avi' ? 'avi' : 'iso';
        // The container is read only when its first bytes pass (and media-check is on).
        const readIf = (head) => mediaCheck !== 'off' && fileProblems(name, stat.size, head).length === 0 ? container : undefined;
        let head = Buffer.alloc(0);
        let reading;
        try {
            if (stat.size > 0)
                ({ head, reading } = await inspectFile(file, stat.size, 64, readIf));
        }
        catch (error) {
            problems.push({ file: shown(file), problem: statProblem(error), video: file });
            continue;
        }
        for (const problem of fileProblems(name, stat.size, head))
            problems.push({ file: shown(file), problem, video: file });
        const identity = `${stat.dev}:${stat.ino}`;
        const first = seen.get(identity);
        if (first) {
            notice(`${shown(file)} is the same file as ${first}; it is published once, as ${first}.`);
            continue;
        }
        seen.set(identity, shown(file));
        found.push({ path: file, size: stat.size, stamp: { ino: stat.ino, mtimeMs: stat.mtimeMs }, reading, media: null, warnings: [] });
    }
    return found;
}
/**
 * Each video's container (statFiles read it) judged by TikTok's rules
 * (media-rules.ts): under `error` a broken rule is a problem, under `warn` a
 * warning; `off` read nothing. A file that passed its first bytes' check but
 * cannot be judged is a problem too: never passed silently.
 */
function judgeAllMedia(found, settings, shown, problems, warn, 
/** Broken rules under `warn` only returned, not warned yet: the caller judges them after admission. */
defer) {
    const mode = settings.mediaCheck ?? 'off';
    const media = [];
    for (const video of found) {
        const reading = video.reading;
        if (!reading)
            continue;
        const file = shown(video.path);
        if (reading.kind === 'video')
            video.media = reading.media;
        const judged = judgeMedia(reading, settings.maxDuration ?? Infinity, file);
        for (const w of judged.warnings) {
            warn({ file, problem: findingText(w) });
            video.warnings.push(findingText(w));
        }
        for (const p of judged.problems) {
            const anyway = anywayText(p, settings.dryRun === true);
            const broken = {
                file,
                problem: findingText(p),
                rule: p.problem,
                fix: p.fix,
                path: video.path,
                video: video.path,
                anyway,
                failReason: p.failReason
            };
            media.push(broken);
            // The same object in the list, so a caller that defers can tell media problems from the others.
            if (mode === 'error')
                problems.push(broken);
            else if (!defer) {
                warn({ file, problem: anyway });
                video.warnings.push(anyway);
            }
        }
    }
    return media;
}
/** The sidecar beside each video, where there is one; a sidecar's problems are named with its line. */
async function readSidecars(found, shown, problems) {
    const sidecars = new Map();
    // Each folder's names by their lower case, so a video looks up its own instead of scanning the folder (2,000 videos: 4 million compares).
    const listings = new Map();
    const listing = (dir) => {
        if (!listings.has(dir))
            listings.set(dir, promises_.readdir(dir)
                .catch(() => [])
                .then(entries => {
                const byLower = new Map();
                for (const entry of entries) {
                    const lower = entry.toLowerCase();
                    const same = byLower.get(lower);
                    if (same)
                        same.push(entry);
                    else
                        byLower.set(lower, [entry]);
                }
                return byLower;
            }));
        return listings.get(dir);
    };
    for (const video of found) {
        const sidecarPath = sidecarPathFor(video.path);
        // A sidecar spelled in another case would be silently ignored on Linux: name it instead.
        const wanted = external_node_path_.basename(sidecarPath);
        for (const entry of (await listing(external_node_path_.dirname(video.path))).get(wanted.toLowerCase()) ?? []) {
            if (entry !== wanted) {
                problems.push({
                    file: shown(external_node_path_.join(external_node_path_.dirname(video.path), entry)),
                    problem: `a sidecar must be named exactly ${wanted}`,
                    video: video.path
                });
            }
        }
        let text;
        try {
            text = await promises_.readFile(sidecarPath, 'utf8');
        }
        catch (error) {
            const code = error.code;
            // A name too long for the file system cannot exist: that video has no sidecar.
            if (code === 'ENOENT' || code === 'ENAMETOOLONG')
                continue;
            problems.push({ file: shown(sidecarPath), problem: statProblem(error), video: video.path });
            continue;
        }
        const parsed = parseSidecar(text);
        for (const problem of parsed.problems)
            problems.push({ file: shown(sidecarPath), problem, video: video.path });
        sidecars.set(video.path, { sidecar: parsed.sidecar, text });
    }
    return sidecars;
}
/** What is wrong with a video's caption and title as filled in; `field` names what set it (undefined: nothing did). */
function captionProblems(name, templates, description, title, run) {
    const found = [];
    if (templates.description === undefined) {
        found.push({ problem: `it has no caption: set the 'description' input, or "description" in ${name}.draftclip.json beside it` });
    }
    else {
        const problem = captionProblem(description);
        if (problem)
            found.push({ field: 'description', problem });
    }
    if (title !== undefined && hasLoneSurrogate(title))
        found.push({
            field: 'title',
            problem: 'the title has a lone UTF-16 surrogate (half an emoji); DraftClip would get U+FFFD in its place'
        });
    for (const field of ['description', 'title']) {
        for (const placeholder of missingRunPlaceholders(templates[field] ?? '', run.vars)) {
            found.push({
                field,
                problem: `{${placeholder}} has no value on a '${run.event || 'unknown'}' event (${PLACEHOLDER_SOURCES[placeholder]}); it would be posted literally`
            });
        }
    }
    return found;
}
/**
 * A secret (or a piece of one long enough to be masked) in what the upload carries: the caption and title are
 * posted on TikTok for anyone to read, and the file's name goes to DraftClip with it. The log shows them masked,
 * so the user would never see why; the video is refused instead, before anything is sent.
 */
function secretProblems(file, description, title, secrets) {
    const holds = (text) => (0,src_secrets/* scrub */._I)(text, secrets) !== text;
    const found = [];
    if (holds(file))
        found.push({ problem: 'its path holds a secret (the API key or the GitHub token, or a part of one): rename the file' });
    if (holds(description))
        found.push({
            field: 'description',
            problem: 'the caption holds a secret (the API key or the GitHub token, or a part of one): it would be posted on TikTok'
        });
    if (title !== undefined && holds(title))
        found.push({
            field: 'title',
            problem: 'the title holds a secret (the API key or the GitHub token, or a part of one): it would be posted on TikTok'
        });
    return found;
}
/** One video with its settings filled in; its caption's problems go to `problems`, naming the file that set it. */
function describeVideo(file, i, count, settings, read, run, shown, problems) {
    const name = external_node_path_.basename(file.path);
    const vars = { name, stem: name.slice(0, name.length - external_node_path_.extname(name).length), index: i + 1, count };
    const sidecar = read?.sidecar;
    const template = sidecar?.description ?? settings.description;
    const titleTemplate = sidecar?.title ?? settings.title;
    const description = template === undefined ? '' : fillCaption(template, vars, run.vars);
    const title = titleTemplate === undefined ? undefined : fillCaption(titleTemplate, vars, run.vars);
    // Where a problem with a field is best fixed: the sidecar's line, or the video (the input).
    const blame = (key, problem) => sidecar?.[key] !== undefined
        ? { file: shown(sidecarPathFor(file.path)), problem: `line ${keyLine(read?.text ?? '', key)}: ${problem}`, video: file.path }
        : { file: shown(file.path), problem, video: file.path };
    const said = captionProblems(name, { description: template, title: titleTemplate }, description, title, run);
    said.push(...secretProblems(shown(file.path), description, title, settings.secrets ?? []));
    for (const problem of said)
        problems.push(problem.field ? blame(problem.field, problem.problem) : { file: shown(file.path), problem: problem.problem, video: file.path });
    return {
        index: i + 1,
        path: file.path,
        file: shown(file.path),
        name,
        size: file.size,
        contentType: CONTENT_TYPES[external_node_path_.extname(name).toLowerCase()] ?? 'application/octet-stream',
        description,
        privacyLevel: sidecar?.privacy_level ?? settings.privacyLevel,
        title,
        sidecar: read ? shown(sidecarPathFor(file.path)) : undefined,
        publishAt: sidecar?.publish_at,
        stamp: file.stamp,
        media: file.media,
        warnings: file.warnings
    };
}

;// CONCATENATED MODULE: ./src/pipeline.ts












// A few KB, and they reach GitHub only through the client they are given: bundled with the run (the client loads when the input is set).










const RUNNER_DEPS = {
    clock: realClock,
    timings: DEFAULT_TIMINGS,
    client: options => new DraftClipClient(options),
    loadRunInfo: loadRunInfo,
    signals: true,
    exit: code => process.exit(code)
};
/** The run while it goes, as the signal handler reports it when the job is cancelled before the run returns. */
class RunSoFar {
    board;
    dryRun = false;
    notes = [];
    requests = { upload: 0, status: 0, unreached: 0 };
    /** Set by the signal handler: why the job stops. */
    cancelled;
    /** What the branch ledger cost on GitHub, for the log's last lines. */
    ledgerUse;
    /** The account's handle (tiktok-username), once the inputs are read: the post links. */
    username;
    /** Each upload's GitHub Deployment (deployment-environment), once the board is open. */
    deployments;
    /** A run ended under its videos (a cancelled job): each deployment gets the status its video ends with, for at most `ms`. */
    async settleDeployments(clock, ms) {
        const board = this.board;
        if (!this.deployments || !board)
            return;
        board.entries.forEach((e, i) => this.deployments.finish(i, e.video.file, e.result, e.hash ? board.ledger?.get(e.hash) : undefined));
        const timer = new AbortController();
        await Promise.race([this.deployments.settled(), clock.sleep(ms, timer.signal)]);
        timer.abort();
    }
    outcome(more = {}) {
        return {
            dryRun: this.dryRun,
            results: this.board?.results ?? [],
            stopReason: this.cancelled,
            notes: this.notes,
            requests: this.requests,
            username: this.username,
            ...more
        };
    }
}
/** The run: inputs -> videos -> board -> a driver (the real run or the dry run) -> its outcome. Never throws: a problem is part of the outcome. */
async function publishVideos(env, deps, log, secrets, signal, soFar) {
    let github;
    let deploymentsRest;
    try {
        const inputs = parseInputs(env, secrets.apiKey);
        soFar.dryRun = inputs.dryRun;
        soFar.username = inputs.tiktokUsername;
        if (!isLoopback(inputs.baseUrl) && inputs.pollIntervalMs < 1000) {
            log.warning(`'${Input.PollInterval}' under 1 s polls DraftClip very often; its doc asks clients to be gentle (it uses 5 s).`);
        }
        // The first status request waits one poll-interval: a shorter wait would end before it, having read nothing.
        if (inputs.wait && inputs.waitTimeoutMs < inputs.pollIntervalMs)
            log.warning(`'${Input.WaitTimeout}' (${inputs.waitTimeoutMs / 1000} s) is shorter than '${Input.PollInterval}' (${inputs.pollIntervalMs / 1000} s): the wait ends before its first status request, so no status is read; raise '${Input.WaitTimeout}' or lower '${Input.PollInterval}'.`);
        const media = [];
        const { videos, problems } = await findVideos(inputs, env, deps, log, media, secrets.all);
        if (videos.length === 0 && problems.length === 0)
            return soFar.outcome({ failure: noVideos(inputs, log) });
        // Found, not "to publish": the ledger, twins and the calendar decide that, and each video's line says it.
        if (videos.length > 0)
            log.info(`${videos.length} video${videos.length === 1 ? '' : 's'} found: ${videos.map(v => v.file).join(', ')}`);
        if (problems.length > 0)
            return await refuseRun(videos, problems, inputs, env, deps, log, secrets, soFar);
        github = inputs.ledgerBranch ? await openGitHubSide(inputs, env, deps, log) : undefined;
        // A deployment's payload names every uploaded video's SHA-256 (the real run's only: a dry run creates none).
        const board = await boardOnLedger(videos, inputs, github, deps, secrets, inputs.deployments !== undefined && !inputs.dryRun);
        soFar.board = board;
        // Still before any request to DraftClip (a branch ledger has been read from GitHub by now, which is not DraftClip).
        const refusedNow = await pipeline_judgeMedia(board, media, inputs, deps.clock.now(), log);
        if (refusedNow.length > 0)
            return await refusedOutcome(board, refusedNow, inputs, deps, log, secrets, soFar);
        deploymentsRest = await openDeployments(inputs, env, deps, log, secrets.all, soFar);
        const drive = inputs.dryRun
            ? board => planAll(board, inputs, deps.clock.now(), video => log.video(video))
            : board => sendAll(board, inputs, env, deps, log, signal, soFar.requests, github, soFar.deployments);
        const halt = await drive(board);
        if (inputs.dryRun) {
            if (inputs.deployments)
                planDeployments(inputs.deployments.environment, board, log, soFar.notes);
            log.info('Dry run: nothing was sent to DraftClip.');
            return soFar.outcome();
        }
        let stopReason = soFar.cancelled;
        if (halt?.quota && inputs.maxUploads !== undefined) {
            // A queue: what was not sent waits for a later run, and the step passes.
            const note = `${halt.reason} The videos not sent are QUEUED for a later run.`;
            log.warning(note);
            soFar.notes.push(note);
        }
        else
            stopReason ??= halt?.reason;
        if (inputs.releaseNotes)
            await linkRelease(inputs, board, env, deps, log, soFar.notes, github?.client, secrets.all);
        const failure = (0,result/* stepFailure */.nK)(board.results, stopReason);
        return soFar.outcome({ stopReason, failure: failure && (0,src_secrets/* scrub */._I)(failure, secrets.all) });
    }
    catch (error) {
        const problem = error instanceof Error ? error.message : String(error);
        return soFar.outcome({ problem, failure: (0,src_secrets/* scrub */._I)(problem, secrets.all) });
    }
    finally {
        await closeDeployments(deploymentsRest, log);
        if (github) {
            const { client } = github;
            const commits = soFar.board?.ledger?.store?.commits ?? 0;
            soFar.ledgerUse = `Ledger on GitHub: ${client.requests} request${client.requests === 1 ? '' : 's'}, ${commits} commit${commits === 1 ? '' : 's'}.`;
            await client.close();
        }
    }
}
/** How long GitHub may take, in all, before the first upload (reading the branch ledger, asking about runs). */
const GITHUB_BEFORE_UPLOAD_MS = 60_000;
/** The one GitHub client of the run, for the token and GITHUB_API_URL. */
async function gitHubClient(token, env, deps, log) {
    const { GitHubClient } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 6584));
    return new GitHubClient({
        apiUrl: deps.githubApiUrl ?? (env.GITHUB_API_URL || 'https://api.github.com'),
        token,
        clock: deps.clock,
        log: line => log.info(line)
    });
}
/**
 * The run's board over its ledger. GitHub gets a minute before the first upload (the reads, the runs
 * lookup, the first claim: sendAll lifts it): one that never answers fails the step, not holds it for minutes.
 */
async function boardOnLedger(videos, inputs, github, deps, secrets, hashAll = false) {
    github?.client.until(deps.githubBeforeUploadMs ?? GITHUB_BEFORE_UPLOAD_MS);
    return openBoard(videos, await ledgerStore(inputs, github, [secrets.apiKey]), secrets.all, github, hashAll);
}
/** The branch ledger's GitHub side, before any upload: a token that may not read it, or an unreachable API, fails the step here. */
async function openGitHubSide(inputs, env, deps, log) {
    const { runState } = await __webpack_require__.e(/* import() */ 281).then(__webpack_require__.bind(__webpack_require__, 1281));
    const repository = env.GITHUB_REPOSITORY;
    const client = await gitHubClient(inputs.githubToken, env, deps, log);
    // This job alone, in the entries it writes: matrix jobs share the run's id and attempt.
    const run = {
        id: env.GITHUB_RUN_ID || `local-${process.pid}`,
        attempt: Number(env.GITHUB_RUN_ATTEMPT) || 1,
        writer: (0,external_node_crypto_.randomUUID)().slice(0, 13)
    };
    return { client, repository, run, runState: id => runState(client, repository, id) };
}
/**
 * deployment-environment's recorder (the real run only), over its own GitHub client: its requests
 * are counted apart from the ledger's. Each upload's ledger entry keeps its deployment's id.
 */
async function openDeployments(inputs, env, deps, log, secrets, soFar) {
    if (!inputs.deployments || inputs.dryRun || !soFar.board)
        return undefined;
    const rest = await gitHubClient(inputs.githubToken, env, deps, log);
    // A record is not worth holding the uploads for long: a longer rate limit than this is a failed call, said in the summary.
    rest.waitCeiling = DEPLOYMENT_WAIT_CEILING_MS;
    const target = inputs.deployments;
    const client = new GitHubDeployments(rest, target, secrets);
    soFar.deployments = new DeploymentRecorder(client, { environment: target.environment, username: inputs.tiktokUsername }, { warn: (line, file) => log.warning(line, file), notes: soFar.notes });
    soFar.board.deploymentOf = i => soFar.deployments.entryId(i);
    return rest;
}
async function closeDeployments(rest, log) {
    if (!rest)
        return;
    log.info(`GitHub Deployments: ${rest.requests} request${rest.requests === 1 ? '' : 's'}.`);
    await rest.close();
}
const DEPLOYMENT_WAIT_CEILING_MS = 60_000;
/** The dry run's word on deployments: what it would create, and that the permission was not checked. */
function planDeployments(environment, board, log, notes) {
    const files = board.results.filter(r => r.status === model_status/* Status */.nW.DryRun).map(r => r.file);
    const note = files.length === 0
        ? `No GitHub Deployment would be created in environment '${environment}': no video would be uploaded.`
        : `A GitHub Deployment would be created in environment '${environment}' for each of ${files.length} upload${files.length === 1 ? '' : 's'} (${files.join(', ')}), with statuses as ${files.length === 1 ? 'it publishes' : 'they publish'}. The dry run did not check that the job may create them ('permissions: deployments: write').`;
    log.info(note);
    notes.push(note);
}
/** The videos found and checked; when a check refuses any, the problems too (and every video the checks described). */
async function findVideos(inputs, env, deps, log, media, secrets) {
    const paths = await findVideoPaths(inputs.patterns, inputs.workspace);
    try {
        const videos = await checkVideos(paths, { ...inputs, secrets }, () => deps.loadRunInfo(env), line => log.info(line), p => log.warning(`${p.file}: ${p.problem}`, p.file), media);
        return { videos, problems: [] };
    }
    catch (error) {
        if (!(error instanceof VideoCheckError))
            throw error;
        return { videos: error.videos, problems: error.problems.map(p => ({ ...p, video: error.refuses.get(p) })) };
    }
}
/**
 * A check refused a video before the ledger: nothing is sent, and every video
 * is in `results` all the same, with what the ledger and the calendar make of
 * it. The ledger is read to say so (from GitHub for a branch); when it cannot
 * be, the videos are simply not attempted, and the run says why.
 */
async function refuseRun(videos, problems, inputs, env, deps, log, secrets, soFar) {
    let github;
    let board;
    try {
        github = inputs.ledgerBranch ? await openGitHubSide(inputs, env, deps, log) : undefined;
        board = await boardOnLedger(videos, inputs, github, deps, secrets);
    }
    catch (error) {
        soFar.notes.push(`The ledger could not be read, so no video is shown as skipped: ${error.message}`);
        board = await openBoard(videos, undefined, secrets.all, undefined);
    }
    finally {
        await github?.client.close();
    }
    soFar.board = board;
    return refusedOutcome(board, problems, inputs, deps, log, secrets, soFar);
}
/** The refused run's outcome: its board driven by refuseAll, a row for each file that never became a video, and the problems as the step's failure. */
async function refusedOutcome(board, problems, inputs, deps, log, secrets, soFar) {
    const byVideo = new Map();
    for (const p of problems) {
        if (!p.video)
            continue;
        // A problem of its sidecar names the sidecar.
        const said = p.file === workspacePath(p.video, inputs.workspace) ? p.problem : `${p.file}: ${p.problem}`;
        byVideo.set(p.video, [...(byVideo.get(p.video) ?? []), said]);
    }
    await refuseAll(board, byVideo, inputs, deps.clock.now(), video => log.video(video));
    if (inputs.dryRun)
        log.info('Dry run: nothing was sent to DraftClip.');
    const known = new Set(board.entries.map(e => e.video.path));
    const unread = [...byVideo].filter(([file]) => !known.has(file)).map(([file, own]) => unreadRow(file, own, inputs));
    const results = [...board.results, ...unread].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const error = new VideoCheckError(problems);
    return soFar.outcome({ results, problem: error.message, failure: (0,src_secrets/* scrub */._I)(error.message, secrets.all), fileProblems: error.problems });
}
/** A matched path that never became a video (it could not be read): REFUSED, with nothing else known. */
function unreadRow(file, problems, inputs) {
    const r = initialResult({ file: workspacePath(file, inputs.workspace), size: 0, description: '', privacyLevel: inputs.privacyLevel });
    return { ...r, status: model_status/* Status */.nW.Refused, error: problems.join('; ') };
}
/**
 * The media verdicts applied, before any request to DraftClip: the refusals are
 * returned (the whole list is refused at once, as checkVideos does), warnings
 * kept on their videos, notices logged.
 */
async function pipeline_judgeMedia(board, media, inputs, now, log) {
    if (media.length === 0)
        return [];
    const admissions = board.admissionsAt(inputs.wait, now, inputs.maxUploads);
    const refused = [];
    for (const verdict of mediaVerdicts(media, board.entries, admissions, inputs.mediaCheck)) {
        const { file, problem, path } = verdict.problem;
        if (verdict.kind === 'refuse')
            refused.push({ file, problem, video: path });
        else if (verdict.kind === 'notice')
            log.info(`${file}: ${verdict.line}`);
        else {
            log.warning(`${file}: ${verdict.line}`, file);
            await board.apply(verdict.index, warned(board.entries[verdict.index].result, [verdict.line]));
        }
    }
    return refused;
}
/** The real run's driver: a DraftClip client (counted, for the `requests` output), closed when the board is done. */
async function sendAll(board, inputs, env, deps, log, signal, requests, github, deployments) {
    const client = deps.client({
        baseUrl: inputs.baseUrl,
        apiKey: inputs.apiKey,
        connectMs: deps.timings.connectMs,
        responseMs: inputs.responseTimeoutMs,
        stallMs: deps.timings.stallMs,
        // Self-hosted runners often sit behind a proxy; a loopback base-url (plain http) never goes through one.
        useProxy: !isLoopback(inputs.baseUrl) && ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some(v => env[v])
    });
    try {
        return await publishAll(board, inputs, {
            // Counted where every request goes out: the `requests` output.
            client: counting(client, requests),
            clock: deps.clock,
            budget: new PollBudget(inputs.maxPollsPerMinute, deps.clock, deps.timings),
            timings: deps.timings,
            logFor: video => log.video(video),
            signal,
            runState: github?.runState,
            deployments,
            uploadsBegin: () => github?.client.until(undefined)
        });
    }
    finally {
        // Each deployment's last status is answered before the outputs are written (and its problems are in the summary).
        await deployments?.settled();
        await client.close();
    }
}
/** No video matched: the words the step fails with, when if-no-files-found says it should. */
function noVideos(inputs, log) {
    const message = `No videos matched ${inputs.patterns.map(p => `'${p}'`).join(', ')} in ${inputs.workspace}.`;
    if (inputs.ifNoFilesFound === 'error')
        return `${message} (Set '${Input.IfNoFilesFound}' to warn or ignore if that can be normal.)`;
    if (inputs.ifNoFilesFound === 'warn')
        log.warning(message);
    else
        log.info(message);
    return undefined;
}
async function linkRelease(inputs, board, env, deps, log, notes, shared, secrets) {
    const { updateReleaseNotes } = await __webpack_require__.e(/* import() */ 606).then(__webpack_require__.bind(__webpack_require__, 7606));
    const client = shared ?? (await gitHubClient(inputs.githubToken, env, deps, log));
    try {
        log.info(await updateReleaseNotes(client, board.results, env, inputs.tiktokUsername, secrets));
    }
    catch (error) {
        const problem = `Could not update the release notes: ${error.message}`;
        log.warning(problem);
        notes.push(problem);
    }
    finally {
        if (!shared)
            await client.close();
    }
}
/** Fails the step with the outcome's words, and points at each bad file. */
function failStep(outcome, log) {
    if (outcome.failure)
        core/* setFailed */.C1(outcome.failure);
    for (const p of outcome.fileProblems ?? [])
        log.error(p.problem, p.file, 'DraftClip: cannot publish');
}

;// CONCATENATED MODULE: ./src/main.ts






/**
 * The action: the run (pipeline.ts), then its report. The one place that fails
 * the step; outputs and the summary are written whatever happens, with
 * whatever was learned, a cancelled job included (cancel.ts).
 */
async function run(env = process.env, overrides = {}) {
    const deps = { ...RUNNER_DEPS, ...overrides };
    const secrets = maskSecrets(env);
    const log = (0,github_log/* logger */.vF)(secrets.all, deps.clock.now);
    const soFar = new RunSoFar();
    let reported = false;
    const report = async (outcome = soFar.outcome()) => {
        if (reported)
            return;
        reported = true;
        await reportOutcome(outcome, secrets.all, log, env.GITHUB_ACTIONS === 'true');
    };
    const cancel = watchForCancel(deps, soFar, log, () => report());
    try {
        const outcome = await publishVideos(env, deps, log, secrets, cancel.signal, soFar);
        failStep(outcome, log);
        cancel.stopWatching();
        if (soFar.ledgerUse)
            log.info(soFar.ledgerUse);
        await report(outcome);
    }
    finally {
        cancel.runEnded();
    }
}
/** The key (and the GitHub token, which goes to GitHub only), read once and masked before anything else can print them. */
function maskSecrets(env) {
    const apiKey = readInput(env, Input.ApiKey);
    // The runner masks github.token, not every token (a personal token for release-notes or ledger-branch): masked like the key.
    const githubToken = readInput(env, Input.GithubToken);
    for (const secret of [apiKey, githubToken])
        if (secret)
            core/* setSecret */.Pq(secret);
    return { apiKey, all: githubToken ? [apiKey, githubToken] : [apiKey] };
}


/***/ }),

/***/ 2960:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   KI: () => (/* binding */ postUrl),
/* harmony export */   WR: () => (/* binding */ nextPublishAt),
/* harmony export */   nK: () => (/* binding */ stepFailure),
/* harmony export */   ne: () => (/* binding */ isAnnotated),
/* harmony export */   pY: () => (/* binding */ saidByStop),
/* harmony export */   ui: () => (/* binding */ withPostUrl)
/* harmony export */ });
/* harmony import */ var _status_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8203);
/** What the run learned of each video, as the outputs show it, and the rules read off it: pure, no I/O. */

/**
 * Whether a status's error is reported as an annotation on the video's file
 * (report.ts). Said once: the video's log keeps it as a plain line, and the
 * step's failure names the file and status only.
 */
const isAnnotated = (status) => (0,_status_js__WEBPACK_IMPORTED_MODULE_0__/* .meaningOf */ .Pr)(status).annotated;
/** Whether a video's error only repeats why the run stopped (then the stop reason alone says it). */
function saidByStop(error, stopReason) {
    return error !== null && stopReason !== undefined && (stopReason.includes(error) || error.includes(stopReason));
}
/** The reason the step fails, or undefined when every video ended well (a wait timeout is not a failure; a dry run plans only). */
function stepFailure(results, stopReason, dryRun = false) {
    if (dryRun)
        return stopReason;
    const failed = results.filter(r => (0,_status_js__WEBPACK_IMPORTED_MODULE_0__/* .meaningOf */ .Pr)(r.status).failsStep);
    if (failed.length === 0 && !stopReason)
        return undefined;
    const lines = failed.map(r => {
        const said = !r.error || isAnnotated(r.status) || saidByStop(r.error, stopReason);
        return `${r.file}: ${r.status}${said ? '' : ` - ${r.error}`}`;
    });
    const head = stopReason ?? `${failed.length} of ${results.length} video${results.length === 1 ? '' : 's'} did not publish`;
    return [head, ...lines.map(l => `  - ${l}`)].join('\n');
}
/**
 * A post's link, built here and nowhere else (summary, release notes, outputs,
 * deployments): null without a post ID. With the account's handle, TikTok's one
 * documented form; without it, /share/video/<id>, which TikTok redirects to that
 * form (README, "Outputs", says why not `@/video/`).
 */
function postUrl(postId, username) {
    if (!postId)
        return null;
    const id = encodeURIComponent(postId);
    return username ? `https://www.tiktok.com/@${username}/video/${id}` : `https://www.tiktok.com/share/video/${id}`;
}
/** A result as the `results` output shows it: its post's link beside its post ID. */
function withPostUrl(r, username) {
    const { file, size, publish_id, status, post_id, ...rest } = r;
    return { file, size, publish_id, status, post_id, post_url: postUrl(post_id, username), ...rest };
}
/** The earliest publish_at still to come, among the videos left SCHEDULED. */
function nextPublishAt(results) {
    const times = results.filter(r => r.status === _status_js__WEBPACK_IMPORTED_MODULE_0__/* .Status */ .nW.Scheduled && r.publish_at).map(r => r.publish_at);
    return times.sort((a, b) => Date.parse(a) - Date.parse(b))[0];
}


/***/ }),

/***/ 8203:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $T: () => (/* binding */ isFinalStatus),
/* harmony export */   FK: () => (/* binding */ COMPLETE_STATUSES),
/* harmony export */   Is: () => (/* binding */ isSettled),
/* harmony export */   Pr: () => (/* binding */ meaningOf),
/* harmony export */   mW: () => (/* binding */ INCOMPLETE_STATUSES),
/* harmony export */   nW: () => (/* binding */ Status),
/* harmony export */   q: () => (/* binding */ PUBLIC)
/* harmony export */ });
/* unused harmony export STATUS_MEANINGS */
/**
 * The words of a video's life: every status it can have, and the one rule for
 * "nothing more to learn". Plain data and pure rules, no I/O: every room imports them.
 */
/**
 * A video's life, in one place: its statuses, and pure functions that say what
 * moves it from one to the next and what the ledger must learn on the way. The
 * run, the dry run and the signal handler all use these and nothing else.
 */
const Status = {
    /** Not sent (yet): the start of every video, and the end of one a stopped run never reached. */
    NotAttempted: 'NOT_ATTEMPTED',
    /** Bytes are (or may be) on their way; recorded in the ledger before the first one leaves. */
    Uploading: 'UPLOADING',
    // DraftClip's own statuses.
    ProcessingUpload: 'PROCESSING_UPLOAD',
    Processing: 'PROCESSING',
    PublishComplete: 'PUBLISH_COMPLETE',
    SentToInbox: 'SEND_TO_USER_INBOX',
    Failed: 'FAILED',
    /** DraftClip certainly did not take it. */
    UploadFailed: 'UPLOAD_FAILED',
    /** DraftClip may have taken it; never sent again until a status answer confirms it or the user releases it. */
    Unconfirmed: 'UNCONFIRMED',
    /** Published before (the ledger), or the same content as another video of this run. */
    Skipped: 'SKIPPED',
    /** Would be uploaded; the dry run sends nothing. */
    DryRun: 'DRY_RUN',
    /** Its publish_at is still to come: a later run publishes it. */
    Scheduled: 'SCHEDULED',
    /** Due, but left for a later run: max-uploads was reached, or the account's quota is spent. */
    Queued: 'QUEUED',
    /** A check refused it before anything was sent (media, size, type, LFS pointer, sidecar, caption): nothing of the run was uploaded. */
    Refused: 'REFUSED'
};
const COMPLETE_STATUSES = [Status.PublishComplete, Status.Failed, Status.SentToInbox];
/** DraftClip's statuses of a video still on its way: their is_complete is not believed. */
const INCOMPLETE_STATUSES = [Status.ProcessingUpload, Status.Processing];
/** The one privacy level TikTok gives a post ID for (after moderation). */
const PUBLIC = 'PUBLIC_TO_EVERYONE';
/**
 * Whether there is nothing more to learn about a video: a final status, and
 * for PUBLISH_COMPLETE either its post ID or a privacy level TikTok never
 * gives one for (only public posts get one, after moderation). The wait, the
 * driver and the ledger's admission all decide by this.
 */
function isSettled(status, privacyLevel) {
    if (!status.isComplete)
        return false;
    return status.status !== Status.PublishComplete || Boolean(status.postId) || privacyLevel !== PUBLIC;
}
/** Whether a status (as a ledger keeps it) is one of the doc's final ones. */
function isFinalStatus(status) {
    return COMPLETE_STATUSES.includes(status);
}
const meaning = (mark, failsStep, annotated, uploaded, mayPost) => ({
    mark,
    failsStep,
    annotated,
    uploaded,
    mayPost
});
/** Every status the action knows: its mark, whether it fails the step, is annotated, was uploaded, may be a post. */
const STATUS_MEANINGS = {
    [Status.NotAttempted]: meaning('⛔', true, false, false, false),
    [Status.Uploading]: meaning('⏳', true, false, false, true),
    [Status.ProcessingUpload]: meaning('⏳', false, false, true, true),
    [Status.Processing]: meaning('⏳', false, false, true, true),
    [Status.PublishComplete]: meaning('✅', false, false, true, true),
    [Status.SentToInbox]: meaning('📥', false, false, true, true),
    [Status.Failed]: meaning('❌', true, true, false, false),
    [Status.UploadFailed]: meaning('❌', true, true, false, false),
    [Status.Unconfirmed]: meaning('⚠️', true, true, false, true),
    [Status.Skipped]: meaning('⏭️', false, false, false, true),
    [Status.DryRun]: meaning('📝', false, false, false, false),
    [Status.Scheduled]: meaning('🗓️', false, false, false, true),
    [Status.Queued]: meaning('⏸️', false, false, false, false),
    [Status.Refused]: meaning('🚫', true, false, false, false)
};
/** A status DraftClip may add one day: no mark, and it neither fails the step nor counts as uploaded. */
const UNKNOWN = meaning('', false, false, false, true);
function meaningOf(status) {
    return Object.hasOwn(STATUS_MEANINGS, status) ? STATUS_MEANINGS[status] : UNKNOWN;
}


/***/ }),

/***/ 7194:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   _I: () => (/* binding */ scrub),
/* harmony export */   aV: () => (/* binding */ scrubStrings)
/* harmony export */ });
/* unused harmony export SECRET_RUN */
/**
 * The API key must never leave the process except in the Authorization header.
 * core.setSecret masks it whole in the log; scrub() guards everything the
 * action writes (log lines, outputs, summary, annotations, ledger), and also
 * hides any part of it: an echo cut short (by us or by the server) must not
 * leave the key's first characters behind.
 */
/** A run of this many characters of a secret is hidden wherever it appears. */
const SECRET_RUN = 8;
/** A copy of a record with every string field scrubbed (results, ledger entries). */
function scrubStrings(record, secrets) {
    const clean = { ...record };
    for (const [key, value] of Object.entries(clean))
        if (typeof value === 'string')
            clean[key] = scrub(value, secrets);
    return clean;
}
function scrub(text, secrets) {
    const hidden = [];
    for (const secret of secrets) {
        if (!secret || secret.length < 4)
            continue;
        const run = Math.min(SECRET_RUN, secret.length);
        for (let i = 0; i + run <= secret.length; i++) {
            const piece = secret.slice(i, i + run);
            for (let at = text.indexOf(piece); at >= 0; at = text.indexOf(piece, at + 1))
                hidden.push([at, at + run]);
        }
    }
    if (hidden.length === 0)
        return text;
    hidden.sort((a, b) => a[0] - b[0]);
    let out = '';
    let from = 0;
    let end = -1;
    for (const [start, stop] of hidden) {
        if (start > end) {
            if (end >= 0)
                out += '***';
            out += text.slice(from, start);
        }
        end = Math.max(end, stop);
        from = end;
    }
    return out + '***' + text.slice(from);
}


/***/ })

};

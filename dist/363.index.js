export const id = 363;
export const ids = [363];
export const modules = {

/***/ 2363:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BranchStore: () => (/* binding */ BranchStore),
/* harmony export */   runState: () => (/* binding */ runState)
/* harmony export */ });
/* unused harmony export LedgerBranchError */
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7194);

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
        return undefined;
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
    /** A commit of the file on the branch, if the file is still the one we last saw. */
    async update(bytes, message) {
        const { rest, branch } = this.options;
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
            return true;
        }
        if (answer.status === 409 || answer.status === 422 || answer.status === 404) {
            // Stale only if the file (or the branch) really moved; otherwise the branch refuses us (a rule, a protection).
            const before = { sha: sent, exists: this.branchExists };
            await this.read();
            if (this.sha !== before.sha || this.branchExists !== before.exists)
                return false;
        }
        throw this.refused('write', answer);
    }
    /** The branch's first commit: an orphan holding only the ledger; the ref's creation is the swap. */
    async create(bytes, message) {
        const { rest, branch, path } = this.options;
        const blob = await rest.call('POST', `${this.repo}/git/blobs`, { content: Buffer.from(bytes).toString('base64'), encoding: 'base64' });
        if (blob.status !== 201)
            throw this.refused('write', blob);
        const blobSha = blob.json.sha;
        const tree = await rest.call('POST', `${this.repo}/git/trees`, { tree: [{ path, mode: '100644', type: 'blob', sha: blobSha }] });
        if (tree.status !== 201)
            throw this.refused('write', tree);
        const commit = await rest.call('POST', `${this.repo}/git/commits`, { message, tree: tree.json.sha, parents: [] });
        if (commit.status !== 201)
            throw this.refused('write', commit);
        const ref = await rest.call('POST', `${this.repo}/git/refs`, { ref: `refs/heads/${branch}`, sha: commit.json.sha });
        if (ref.status === 201) {
            this.branchExists = true;
            this.sha = blobSha;
            this.commits++;
            return true;
        }
        if (ref.status === 422) {
            // Another run made the branch first: read it, merge.
            await this.read();
            if (this.branchExists)
                return false;
        }
        throw this.refused('write', ref);
    }
    /** Names the videos and the run: someone reading the branch's history sees who wrote what. */
    message(changed) {
        const { run } = this.options;
        const names = changed.map(e => `${e.file} ${e.status}`);
        const head = `draftclip-publish: ${names.length === 1 ? names[0] : `${names.length} videos`} (run ${run.id}, attempt ${run.attempt})`;
        const body = names.length === 1 ? '' : `\n\n${names.map(n => `- ${n}`).join('\n')}`;
        return (0,_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .scrub */ ._I)(head + body, this.options.secrets).replace(/\r/g, '');
    }
    /** An answer that is no compare-and-swap: what the user must change, named. */
    refused(what, answer) {
        const { repository, branch } = this.options;
        const said = `${answer.status} ${(0,_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .scrub */ ._I)(answer.message, this.options.secrets).slice(0, 200)}`;
        if (answer.status === 401)
            return new LedgerBranchError(`GitHub refused the token ('github-token') while trying to ${what} ${this.shownAs} of ${repository} (${said}).`);
        if (answer.status === 403 || (what === 'read' && answer.status === 404))
            return new LedgerBranchError(`GitHub refused to ${what} ${this.shownAs} of ${repository} (${said}): the job needs 'permissions: contents: write' for 'ledger-branch'.`);
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


/***/ })

};

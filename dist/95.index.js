export const id = 95;
export const ids = [95];
export const modules = {

/***/ 958:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   H5: () => (/* binding */ sameStatus),
/* harmony export */   I1: () => (/* binding */ deploymentStatus),
/* harmony export */   Jj: () => (/* binding */ cut)
/* harmony export */ });
/* unused harmony export DESCRIPTION_MAX */
/* harmony import */ var _status_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8203);
/**
 * What a video's GitHub Deployment says of it: the state and words of its
 * status, read off what the run learned. Pure, no I/O: the recorder
 * (publish/deployments.ts) decides when to send one, the client
 * (github/deployments.ts) sends it.
 */

/** GitHub's limit on a deployment status's description. */
const DESCRIPTION_MAX = 140;
/** Text cut to `max` characters (whole code points), with an ellipsis where it was cut. */
function cut(text, max = DESCRIPTION_MAX) {
    const points = [...text.replace(/\s+/g, ' ').trim()];
    return points.length <= max ? points.join('') : `${points.slice(0, max - 1).join('')}…`;
}
/**
 * The status a deployment should have now, or undefined when the video has no
 * say in it (skipped, scheduled, a dry run). Still on its way: in_progress, and
 * a later run adds the final one.
 */
function deploymentStatus(f, postLink) {
    const id = f.publish_id ? ` (publish ID ${f.publish_id})` : '';
    switch (f.status) {
        case _status_js__WEBPACK_IMPORTED_MODULE_0__/* .Status */ .nW.Uploading:
            return { state: 'in_progress', description: 'uploading to DraftClip' };
        case _status_js__WEBPACK_IMPORTED_MODULE_0__/* .Status */ .nW.ProcessingUpload:
        case _status_js__WEBPACK_IMPORTED_MODULE_0__/* .Status */ .nW.Processing:
            return { state: 'in_progress', description: `TikTok is processing it${id}` };
        case _status_js__WEBPACK_IMPORTED_MODULE_0__/* .Status */ .nW.PublishComplete:
            if (postLink)
                return { state: 'success', description: `published as post ${f.post_id}${id}`, environmentUrl: postLink };
            return {
                state: 'success',
                description: f.privacy_level !== undefined && f.privacy_level !== _status_js__WEBPACK_IMPORTED_MODULE_0__/* .PUBLIC */ .q
                    ? `published ${f.privacy_level}${id}; TikTok links only public posts`
                    : `published${id}; its post link comes after TikTok's moderation`
            };
        case _status_js__WEBPACK_IMPORTED_MODULE_0__/* .Status */ .nW.SentToInbox:
            return { state: 'success', description: `sent to the inbox as a draft${id}` };
        case _status_js__WEBPACK_IMPORTED_MODULE_0__/* .Status */ .nW.Failed:
            return { state: 'failure', description: `TikTok refused it: ${f.fail_reason ?? 'no reason given'}${id}` };
        case _status_js__WEBPACK_IMPORTED_MODULE_0__/* .Status */ .nW.UploadFailed:
            return { state: 'failure', description: `upload failed: ${f.error ?? 'no reason given'}` };
        case _status_js__WEBPACK_IMPORTED_MODULE_0__/* .Status */ .nW.Unconfirmed:
            return { state: 'error', description: `unconfirmed${id}: it may or may not be on TikTok; ${f.error ?? ''}` };
        case _status_js__WEBPACK_IMPORTED_MODULE_0__/* .Status */ .nW.NotAttempted:
        case _status_js__WEBPACK_IMPORTED_MODULE_0__/* .Status */ .nW.Queued:
            return { state: 'error', description: `not uploaded: ${(f.error ?? f.status).replace(/^(not attempted|queued): /, '')}` };
        default:
            return undefined;
    }
}
/** Two statuses that say the same: the state, and the link (a second success adds the link once the post ID comes). */
function sameStatus(a, b) {
    return a?.state === b?.state && a?.environmentUrl === b?.environmentUrl;
}


/***/ }),

/***/ 7095:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DeploymentRecorder: () => (/* binding */ DeploymentRecorder)
/* harmony export */ });
/* unused harmony export refusalReason */
/* harmony import */ var _model_deployment_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(958);
/* harmony import */ var _model_result_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2960);


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
        this.problem(file, `no GitHub Deployment was made for it (${made.kind === 'refused' ? `${made.status}: ` : ''}${made.message}); it is published all the same`);
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
        if (!status || (0,_model_deployment_js__WEBPACK_IMPORTED_MODULE_0__/* .sameStatus */ .H5)(status, this.last.get(i)))
            return;
        this.send(i, file, status);
    }
    /** Every status decided so far has been answered. */
    async settled() {
        await Promise.all(this.sending.values());
    }
    statusOf(facts) {
        return (0,_model_deployment_js__WEBPACK_IMPORTED_MODULE_0__/* .deploymentStatus */ .I1)(facts, (0,_model_result_js__WEBPACK_IMPORTED_MODULE_1__/* .postUrl */ .KI)(facts.post_id, this.settings.username));
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


/***/ })

};

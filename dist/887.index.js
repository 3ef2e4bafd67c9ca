export const id = 887;
export const ids = [887];
export const modules = {

/***/ 6887:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GitHubDeployments: () => (/* binding */ GitHubDeployments)
/* harmony export */ });
/* unused harmony exports deploymentBody, statusBody */
/* harmony import */ var _model_deployment_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(958);
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7194);


/** The deployment of one video: its file named, and its bytes by SHA-256 (file names are untrusted text: scrubbed, cut). */
function deploymentBody(target, file, sha256, secrets) {
    const name = (0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .scrub */ ._I)(file, secrets);
    return {
        ref: target.sha,
        environment: target.environment,
        task: 'publish',
        auto_merge: false,
        required_contexts: [],
        description: (0,_model_deployment_js__WEBPACK_IMPORTED_MODULE_0__/* .cut */ .Jj)(`Publish ${name} to TikTok`),
        payload: { file: name, sha256 },
        transient_environment: false
    };
}
/** A status as GitHub takes it: the run's page as its log, never marking the environment's other deployments inactive. */
function statusBody(target, status, secrets) {
    return {
        state: status.state,
        description: (0,_model_deployment_js__WEBPACK_IMPORTED_MODULE_0__/* .cut */ .Jj)((0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .scrub */ ._I)(status.description, secrets)),
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
        const answer = await this.send(`/repos/${this.target.repository}/deployments`, deploymentBody(this.target, file, sha256, this.secrets));
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


/***/ }),

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


/***/ })

};

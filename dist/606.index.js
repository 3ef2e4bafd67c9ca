export const id = 606;
export const ids = [606];
export const modules = {

/***/ 7606:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   updateReleaseNotes: () => (/* binding */ updateReleaseNotes)
/* harmony export */ });
/* unused harmony exports SECTION_START, SECTION_END, markdownText, releaseSection, mergeReleaseBody */
/* harmony import */ var _model_result_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2960);
/* harmony import */ var _model_status_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8203);
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7194);
/* harmony import */ var _log_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3385);




/**
 * Links the release that triggered the run to its TikTok posts: a section in
 * the release body between markers, replaced (never appended twice) on reruns.
 */
const SECTION_START = '<!-- draftclip-publish:start -->';
const SECTION_END = '<!-- draftclip-publish:end -->';
/**
 * Untrusted text (a file name, an ID from DraftClip) as plain text in the release's Markdown, which anyone may
 * read: one line, no control character, in a code span. Backslash escapes are not enough: GitHub links
 * 'www.evil.example' and 'a@b.example' by itself, and after rendering turns '@octocat ' into a mention (a
 * notification) and '#1' into a reference; none of these happen inside code. Never our markers either (a name
 * holding '<!-- draftclip-publish:end -->' would cut the section short, and each rerun would add to it): a
 * code span shows its text raw, so '<!--' is written outside one, escaped.
 */
function markdownText(text) {
    const line = (0,_log_js__WEBPACK_IMPORTED_MODULE_2__/* .printable */ .g$)(text.replace(/\r\n|\r|\n|\u2028|\u2029/g, ' '));
    return line.split('<!--').map(codeSpan).join('\\<\\!\\-\\-');
}
/** Text shown as it is: fenced by more backticks than it holds, padded where it starts or ends with one (or a space, which the span would strip). */
function codeSpan(text) {
    if (text === '')
        return '';
    const fence = '`'.repeat(Math.max(0, ...(text.match(/`+/g) ?? []).map(run => run.length)) + 1);
    const pad = /^[` ]|[` ]$/.test(text) ? ' ' : '';
    return `${fence}${pad}${text}${pad}${fence}`;
}
/** `username`: the account's handle (tiktok-username), for the post links. `secrets`: never written into a release. */
function releaseSection(results, username, secrets = []) {
    // Only what is or may still become a post: not what TikTok refused, nor what never got a publish id.
    const posted = results.filter(r => r.post_id || (r.publish_id && (0,_model_status_js__WEBPACK_IMPORTED_MODULE_1__/* .meaningOf */ .Pr)(r.status).mayPost));
    if (posted.length === 0)
        return undefined;
    const text = (value) => markdownText((0,_secrets_js__WEBPACK_IMPORTED_MODULE_3__/* .scrub */ ._I)(value, secrets));
    const lines = posted.map(r => r.post_id
        ? `- ${text(r.file)}: [${text(r.post_id)}](${(0,_model_result_js__WEBPACK_IMPORTED_MODULE_0__/* .postUrl */ .KI)(r.post_id, username)})`
        : `- ${text(r.file)}: uploaded (publish ID ${text(r.publish_id ?? '')}), post not live yet`);
    return [SECTION_START, '### Published on TikTok', '', ...lines, SECTION_END].join('\n');
}
/** The body with our section replaced, or added at the end when it is not there yet. */
function mergeReleaseBody(body, section) {
    const current = body ?? '';
    // The section is the last start marker before the first end marker: a start marker left
    // alone by a hand edit must not make everything after it look like ours.
    const end = current.indexOf(SECTION_END);
    const start = end < 0 ? -1 : current.lastIndexOf(SECTION_START, end);
    if (start >= 0)
        return current.slice(0, start) + section + current.slice(end + SECTION_END.length);
    return current.trim() === '' ? section : `${current.replace(/\s+$/, '')}\n\n${section}`;
}
/** Updates the triggering release through the run's GitHub client; returns what it did, in a sentence for the log. */
async function updateReleaseNotes(client, results, env, username, secrets) {
    const { context } = await __webpack_require__.e(/* import() */ 413).then(__webpack_require__.bind(__webpack_require__, 2413));
    const releaseId = context.payload.release?.id;
    if (context.eventName !== 'release' || !releaseId)
        return `release-notes: this run was triggered by '${context.eventName}', not a release; nothing to link.`;
    const section = releaseSection(results, username, secrets);
    if (!section)
        return 'release-notes: no video was published; the release was left as it is.';
    const route = `/repos/${(env.GITHUB_REPOSITORY ?? '').split('/').map(encodeURIComponent).join('/')}/releases/${releaseId}`;
    const got = await client.call('GET', route);
    if (got.status !== 200)
        throw new Error(`GitHub answered ${got.status} ${got.message.slice(0, 200)} for release ${releaseId}`);
    const release = got.json;
    const body = mergeReleaseBody(release.body, section);
    if (body === release.body)
        return `release-notes: release ${release.tag_name} already links these posts.`;
    // The whole body, compare-free: sending it twice writes the same text, so a 5xx may be sent again.
    const put = await client.call('PATCH', route, { body }, true);
    if (put.status !== 200)
        throw new Error(`GitHub answered ${put.status} ${put.message.slice(0, 200)} when updating release ${release.tag_name}`);
    return `release-notes: linked the TikTok posts in release ${release.tag_name}.`;
}


/***/ })

};

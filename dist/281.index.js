export const id = 281;
export const ids = [281];
export const modules = {

/***/ 1281:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runState: () => (/* binding */ runState)
/* harmony export */ });
/** Asks GitHub whether a run is still going: GET /actions/runs/{id}, which needs `actions: read`. */
async function runState(client, repository, id) {
    if (!/^\d+$/.test(id))
        return 'unknown';
    const answer = await client.call('GET', `/repos/${repository.split('/').map(encodeURIComponent).join('/')}/actions/runs/${id}`);
    if (answer.status === 200)
        return answer.json.status === 'completed' ? 'completed' : 'in_progress';
    // A run GitHub does not know (deleted) is not running.
    if (answer.status === 404)
        return 'completed';
    return 'unknown';
}


/***/ })

};

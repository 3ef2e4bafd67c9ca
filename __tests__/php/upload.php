<?php
// An imitation of DraftClip's POST /api/upload.php for conformance tests.
// It does not judge the upload beyond what DraftClip documents: it reports, as
// JSON under "seen", exactly what PHP's own request parsing produced, so that
// the test can compare it with what the client meant to send.
declare(strict_types=1);

header('Content-Type: application/json; charset=utf-8');

const JSON_FLAGS = JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE;

function answer(int $status, array $body): void
{
    http_response_code($status);
    echo json_encode($body, JSON_FLAGS);
}

// getallheaders() keeps the case the client used (undici sends lower case).
$headers = function_exists('getallheaders') ? array_change_key_case(getallheaders(), CASE_LOWER) : [];

$post = [];
$postBase64 = [];
foreach ($_POST as $key => $value) {
    // Fields are flat strings here; anything else (name[] arrays) is reported as JSON.
    $post[$key] = is_string($value) ? $value : json_encode($value, JSON_FLAGS);
    $postBase64[$key] = base64_encode($post[$key]);
}

$video = null;
if (isset($_FILES['video']) && is_array($_FILES['video'])) {
    $f = $_FILES['video'];
    $tmp = is_string($f['tmp_name'] ?? null) ? $f['tmp_name'] : '';
    $ok = ($f['error'] ?? null) === UPLOAD_ERR_OK && $tmp !== '' && is_uploaded_file($tmp);
    $video = [
        'name' => $f['name'] ?? null,
        'name_base64' => is_string($f['name'] ?? null) ? base64_encode($f['name']) : null,
        'full_path' => $f['full_path'] ?? null,
        'type' => $f['type'] ?? null,
        'size' => $f['size'] ?? null,
        'error' => $f['error'] ?? null,
        'sha256' => $ok ? hash_file('sha256', $tmp) : null,
        'bytes_on_disk' => $ok ? filesize($tmp) : null,
    ];
}

$seen = [
    'method' => $_SERVER['REQUEST_METHOD'] ?? null,
    'uri' => $_SERVER['REQUEST_URI'] ?? null,
    'content_length' => $_SERVER['CONTENT_LENGTH'] ?? null,
    'content_type' => $_SERVER['CONTENT_TYPE'] ?? null,
    'authorization' => $_SERVER['HTTP_AUTHORIZATION'] ?? null,
    'authorization_getallheaders' => $headers['authorization'] ?? null,
    'user_agent' => $_SERVER['HTTP_USER_AGENT'] ?? null,
    'transfer_encoding' => $_SERVER['HTTP_TRANSFER_ENCODING'] ?? null,
    'post' => (object) $post,
    'post_base64' => (object) $postBase64,
    'post_keys' => array_keys($_POST),
    'files_keys' => array_keys($_FILES),
    'video' => $video,
];

if (($seen['method'] ?? '') !== 'POST') {
    header('Allow: POST');
    answer(405, ['error' => 'Method not allowed', 'seen' => $seen]);
    return;
}
if ($video === null || $video['error'] !== UPLOAD_ERR_OK) {
    $why = $video === null ? 'No video file uploaded' : 'Video upload error ' . $video['error'];
    answer(400, ['error' => $why, 'seen' => $seen]);
    return;
}
if (!isset($_POST['description']) || !is_string($_POST['description'])) {
    answer(400, ['error' => 'Description is required', 'seen' => $seen]);
    return;
}

answer(200, [
    'success' => true,
    'message' => 'Video uploaded successfully',
    'data' => [
        'publish_id' => 'v_php_' . substr($video['sha256'], 0, 16) . '_' . bin2hex(random_bytes(4)),
        'description' => $_POST['description'],
        'status' => 'PROCESSING_UPLOAD',
    ],
    'seen' => $seen,
]);

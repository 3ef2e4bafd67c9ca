<?php
// Router for `php -S`: serves the DraftClip upload imitation at /api/upload.php
// (where the client POSTs) and answers everything else with a JSON 404.
// The request body has already been parsed by PHP's real multipart parser
// ($_POST, $_FILES) before this script runs, exactly as for a normal script.
declare(strict_types=1);

$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
if ($path === '/api/upload.php') {
    require __DIR__ . '/upload.php';
    return true;
}
http_response_code(404);
header('Content-Type: application/json');
echo json_encode(['error' => 'Not found: ' . $path]);
return true;

<?php
// PHP SoapServer serving testdata/wsdl/rpc-encoded/tracker.wsdl (path in
// TRACKER_WSDL) for the rpc/encoded interop test: every echo operation
// returns what it received, so a value must survive Go -> PHP -> Go.
// Run as the router script of `php -S 127.0.0.1:PORT tracker_server.php`.
ini_set('soap.wsdl_cache_enabled', '0');

class Tracker {
    public function getIssue($token, $key) {
        $addr = new stdClass();
        $addr->street = 'Main St 1';
        $addr->city = 'Springfield';
        $addr->zip = 12345;
        $u = new stdClass();
        $u->id = 7;
        $u->name = 'reporter-' . $token;
        $u->active = true;
        $u->score = 2.5;
        $u->address = $addr;
        $u->roles = array('dev', 'ops');
        $u->email = null;
        $i = new stdClass();
        $i->key = $key;
        $i->summary = 'from PHP';
        $i->votes = 9007199254740993;
        $i->resolved = false;
        $i->priority = 'urgent';
        $i->reporter = $u;
        $i->watchers = array($u);
        $i->labels = array();
        return $i;
    }
    public function echoIssue($issue) { return $issue; }
    public function echoIssues($issues) { return $issues; }
    public function echoUser($user) { return $user; }
    public function echoLists($names, $numbers) {
        return array('names' => $names, 'numbers' => $numbers);
    }
    public function echoScalars($count, $total, $flag, $ratio, $text, $priority) {
        return array('count' => $count, 'total' => $total, 'flag' => $flag,
            'ratio' => $ratio, 'text' => $text, 'priority' => $priority);
    }
}

if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    http_response_code(200);
    echo "ready\n";
    return;
}
$server = new SoapServer(getenv('TRACKER_WSDL'), array('cache_wsdl' => WSDL_CACHE_NONE, 'soap_version' => SOAP_1_1));
$server->setClass('Tracker');
$server->handle();

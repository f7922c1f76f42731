<?php
// PHP SoapServer serving testdata/wsdl/salesforce-partner/partner.wsdl
// (path in PARTNER_WSDL) for the document/literal interop test: login
// hands out a session, query answers only under its SessionHeader and
// says what it read. PHP's ext/soap reads requests with libxml2, which
// resolves every name against the namespace declarations in scope.
// Run as the router script of `php -S 127.0.0.1:PORT partner_server.php`.
ini_set('soap.wsdl_cache_enabled', '0');

class Partner {
    private $sid = '';

    public function SessionHeader($h) {
        $this->sid = $h->sessionId;
    }

    public function login($p) {
        if ($p->username !== 'ann@example.com' || $p->password !== 'pw') {
            throw new SoapFault('sf:INVALID_LOGIN', 'INVALID_LOGIN: Invalid username, password, security token; or user locked out.');
        }
        $r = new stdClass();
        $r->metadataServerUrl = null;
        $r->passwordExpired = false;
        $r->sandbox = false;
        $r->serverUrl = 'http://' . $_SERVER['HTTP_HOST'] . '/services/Soap/u/59.0';
        $r->sessionId = 'SID-php-1';
        $r->userId = '005000000000001AAA';
        return array('result' => $r);
    }

    public function query($p) {
        if ($this->sid !== 'SID-php-1') {
            throw new SoapFault('sf:INVALID_SESSION_ID', 'INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session');
        }
        $r = new stdClass();
        $r->done = true;
        // What the server read: the session and the query string.
        $r->queryLocator = $this->sid . '|' . $p->queryString;
        $r->size = strlen($p->queryString);
        return array('result' => $r);
    }
}

$server = new SoapServer(getenv('PARTNER_WSDL'), array('cache_wsdl' => WSDL_CACHE_NONE));
$server->setObject(new Partner());
$server->handle();

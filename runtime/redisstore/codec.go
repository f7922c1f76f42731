package redisstore

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/wsdlsess/wsdlsess/runtime"
)

// Value formats, the first byte of a stored value, so that a store
// configured with a key refuses a clear value and the other way round with
// a clear message instead of garbage.
const (
	formatPlain  byte = 'p'
	formatSealed byte = 'g'
)

// codec turns sessions into stored values and tokens into digests.
type codec struct {
	aead      cipher.AEAD // nil: values stored in clear
	digestKey []byte      // nil: plain SHA-256 digests
}

func newCodec(key []byte) (*codec, error) {
	if key == nil {
		return &codec{}, nil
	}
	if len(key) != 32 {
		return nil, fmt.Errorf("redisstore: WithEncryptionKey needs a 32-byte AES-256 key, got %d bytes: generate one with `openssl rand -hex 32` and decode it", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("redisstore: encryption key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("redisstore: encryption key: %w", err)
	}
	// A separate key for digests, so the digest of a token says nothing
	// that the encryption key would not already protect.
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("wsdlsess redisstore token digest v1"))
	return &codec{aead: aead, digestKey: mac.Sum(nil)}, nil
}

// digest is what the Lua scripts compare instead of the token itself. The
// empty token (a cookie-only session) has the empty digest.
func (c *codec) digest(token string) string {
	if token == "" {
		return ""
	}
	if c.digestKey == nil {
		sum := sha256.Sum256([]byte(token))
		return hex.EncodeToString(sum[:])
	}
	mac := hmac.New(sha256.New, c.digestKey)
	mac.Write([]byte(token))
	return hex.EncodeToString(mac.Sum(nil))
}

// seal encodes s for the Redis key name; the name is bound to the sealed
// value as additional data.
func (c *codec) seal(name string, s *runtime.SessionState) ([]byte, error) {
	plain, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("redisstore: encode session: %w", err)
	}
	if c.aead == nil {
		return append([]byte{formatPlain}, plain...), nil
	}
	out := make([]byte, 1+c.aead.NonceSize(), 1+c.aead.NonceSize()+len(plain)+c.aead.Overhead())
	out[0] = formatSealed
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, fmt.Errorf("redisstore: nonce: %w", err)
	}
	return c.aead.Seal(out, out[1:], plain, []byte(name)), nil
}

var errFormat = errors.New("stored value has an unknown format")

// open decodes a value stored under name. Its errors never quote the value.
func (c *codec) open(name string, v []byte) (*runtime.SessionState, error) {
	if len(v) == 0 {
		return nil, errFormat
	}
	var plain []byte
	switch v[0] {
	case formatPlain:
		if c.aead != nil {
			return nil, errors.New("stored value is not encrypted but this store has an encryption key: clear the old entries (or drop WithEncryptionKey)")
		}
		plain = v[1:]
	case formatSealed:
		if c.aead == nil {
			return nil, errors.New("stored value is encrypted but this store has no encryption key: configure the fleet's WithEncryptionKey")
		}
		ns := c.aead.NonceSize()
		if len(v) < 1+ns {
			return nil, errFormat
		}
		var err error
		plain, err = c.aead.Open(nil, v[1:1+ns], v[1+ns:], []byte(name))
		if err != nil {
			return nil, errors.New("stored value does not decrypt with this store's key: every process of the fleet needs the same WithEncryptionKey")
		}
	default:
		return nil, errFormat
	}
	var s runtime.SessionState
	if err := json.Unmarshal(plain, &s); err != nil {
		// json's error can quote the input: do not wrap it.
		return nil, errors.New("stored value is not a session (JSON does not decode)")
	}
	return &s, nil
}

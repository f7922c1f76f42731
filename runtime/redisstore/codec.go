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
	"strings"

	"github.com/wsdlsess/wsdlsess/runtime"
)

// Value formats, the first byte of a stored value, so that a store
// configured with a key refuses a clear value and the other way round with
// a clear message instead of garbage.
const (
	formatPlain  byte = 'p'
	formatSealed byte = 'g'
)

// codec turns sessions into stored values, tokens into digests, and signs
// rotation markers. It holds one or more keys: the first seals, digests and
// signs what this process writes; every key opens and verifies what it
// reads, so a fleet in the middle of a key rollout reads both generations.
type codec struct {
	keys []codecKey // none: values stored in clear, plain SHA-256 digests
}

type codecKey struct {
	aead      cipher.AEAD
	digestKey []byte
	markerKey []byte
}

// plainMarker is the rotation marker of a store without a key: it cannot
// be authenticated, so the store says when it stops sharing a key.
const plainMarker = "1"

func newCodec(keys [][]byte) (*codec, error) {
	c := &codec{}
	for i, key := range keys {
		if len(key) != 32 {
			return nil, fmt.Errorf("redisstore: encryption key %d of %d: need a 32-byte AES-256 key, got %d bytes: generate one with `openssl rand -hex 32` and decode it", i+1, len(keys), len(key))
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, fmt.Errorf("redisstore: encryption key: %w", err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("redisstore: encryption key: %w", err)
		}
		// Separate keys for digests and markers, so neither says anything
		// that the encryption key would not already protect.
		c.keys = append(c.keys, codecKey{aead: aead,
			digestKey: derive(key, "wsdlsess redisstore token digest v1"),
			markerKey: derive(key, "wsdlsess redisstore rotation marker v1")})
	}
	return c, nil
}

func derive(key []byte, label string) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(label))
	return mac.Sum(nil)
}

func hmacHex(key []byte, parts ...string) string {
	mac := hmac.New(sha256.New, key)
	for _, p := range parts {
		mac.Write([]byte(p))
		mac.Write([]byte{0})
	}
	return hex.EncodeToString(mac.Sum(nil))
}

// digest is what this process stores for token, for the Lua scripts to
// compare instead of the token itself. The empty token (a cookie-only
// session) has the empty digest.
func (c *codec) digest(token string) string {
	if token == "" {
		return ""
	}
	if len(c.keys) == 0 {
		sum := sha256.Sum256([]byte(token))
		return hex.EncodeToString(sum[:])
	}
	mac := hmac.New(sha256.New, c.keys[0].digestKey)
	mac.Write([]byte(token))
	return hex.EncodeToString(mac.Sum(nil))
}

// digests are the digests token may be stored under, one per key, as a
// list the scripts read (comma-separated; "" for the empty token).
func (c *codec) digests(token string) string {
	if token == "" || len(c.keys) <= 1 {
		return c.digest(token)
	}
	d := make([]string, len(c.keys))
	for i, k := range c.keys {
		mac := hmac.New(sha256.New, k.digestKey)
		mac.Write([]byte(token))
		d[i] = hex.EncodeToString(mac.Sum(nil))
	}
	return strings.Join(d, ",")
}

// marker is the rotation marker this process writes under the Redis key
// name: a MAC, so that whoever can write to Redis but holds no key cannot
// forge one and silently turn sharing off for a key.
func (c *codec) marker(name string) string {
	if len(c.keys) == 0 {
		return plainMarker
	}
	return hmacHex(c.keys[0].markerKey, "rotating", name)
}

// markers lists the markers that verify under name (comma-separated).
func (c *codec) markers(name string) string {
	if len(c.keys) <= 1 {
		return c.marker(name)
	}
	m := make([]string, len(c.keys))
	for i, k := range c.keys {
		m[i] = hmacHex(k.markerKey, "rotating", name)
	}
	return strings.Join(m, ",")
}

// seal encodes s for the Redis key name; the name is bound to the sealed
// value as additional data.
func (c *codec) seal(name string, s *runtime.SessionState) ([]byte, error) {
	plain, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("redisstore: encode session: %w", err)
	}
	if len(c.keys) == 0 {
		return append([]byte{formatPlain}, plain...), nil
	}
	aead := c.keys[0].aead
	out := make([]byte, 1+aead.NonceSize(), 1+aead.NonceSize()+len(plain)+aead.Overhead())
	out[0] = formatSealed
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, fmt.Errorf("redisstore: nonce: %w", err)
	}
	return aead.Seal(out, out[1:], plain, []byte(name)), nil
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
		if len(c.keys) > 0 {
			return nil, errors.New("stored value is not encrypted but this store has an encryption key: clear the old entries (or drop WithEncryptionKey)")
		}
		plain = v[1:]
	case formatSealed:
		if len(c.keys) == 0 {
			return nil, errors.New("stored value is encrypted but this store has no encryption key: configure the fleet's WithEncryptionKey")
		}
		for _, k := range c.keys {
			ns := k.aead.NonceSize()
			if len(v) < 1+ns {
				return nil, errFormat
			}
			if p, err := k.aead.Open(nil, v[1:1+ns], v[1+ns:], []byte(name)); err == nil {
				plain = p
				break
			}
		}
		if plain == nil {
			return nil, errors.New("stored value does not decrypt with any of this store's keys (a key rollout where this process lacks the new key, or a forged or corrupt value): give every process the fleet's keys with WithEncryptionKeys")
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

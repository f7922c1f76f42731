package redisstore

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

var testKey = bytes.Repeat([]byte{0x42}, 32)

// rawValues reads every field of the session hash straight from Redis.
func rawValues(t *testing.T, s *Store, key string) string {
	t.Helper()
	m, err := s.rdb.HGetAll(context.Background(), s.sessionKey(key)).Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(m) == 0 {
		t.Fatalf("no session hash under %s", s.sessionKey(key))
	}
	var b strings.Builder
	for k, v := range m {
		b.WriteString(k + "=" + v + "\n")
	}
	return b.String()
}

func TestEncryptionAtRest(t *testing.T) {
	rdb := newClient(t)
	ctx := context.Background()
	s := newTestStore(t, rdb, WithEncryptionKey(testKey))
	st := session("00Dxx!AQ4AQSecretSessionToken")
	if ok, err := s.CompareAndSwap(ctx, "k", "", st, time.Minute); !ok || err != nil {
		t.Fatalf("CAS = %v, %v", ok, err)
	}
	raw := rawValues(t, s, "k")
	for _, secret := range []string{st.Token, st.Cookies[0].Value, "SecretSessionToken"} {
		if strings.Contains(raw, secret) {
			t.Fatalf("Redis holds %q in clear with encryption on", secret)
		}
	}
	got, err := s.Get(ctx, "k")
	if err != nil || got.Token != st.Token || got.Cookies[0].Value != st.Cookies[0].Value {
		t.Fatalf("Get through the key = %v, %v", got, err)
	}
	// CAS and CAD still compare tokens through the digest.
	if ok, _ := s.CompareAndDelete(ctx, "k", "wrong"); ok {
		t.Fatal("CAD with a wrong token deleted an encrypted session")
	}
	if ok, _ := s.CompareAndSwap(ctx, "k", st.Token, session("next"), time.Minute); !ok {
		t.Fatal("CAS with the right token failed on an encrypted session")
	}
}

func TestWithoutEncryptionTheValueIsClear(t *testing.T) {
	// The control for TestEncryptionAtRest: the raw read does see secrets
	// when there is no key, so the check above is meaningful.
	rdb := newClient(t)
	s := newTestStore(t, rdb)
	s.Put(context.Background(), "k", session("clear-token"), time.Minute)
	if raw := rawValues(t, s, "k"); !strings.Contains(raw, "clear-token") {
		t.Fatalf("raw value without a key does not hold the token: %s", raw)
	}
}

// A store configured otherwise than the writer (no key, another key)
// takes the value for no session, with a warning naming the option; a
// sealed value moved under another key does not open.
func TestEncryptionMismatchIsNoSessionWithAWarning(t *testing.T) {
	rdb := newClient(t)
	ctx := context.Background()
	sealed := newTestStore(t, rdb, WithEncryptionKey(testKey))
	sealed.Put(ctx, "k", session("secret-tok"), time.Minute)

	// Same prefix, other configurations: another process of the fleet
	// configured differently.
	other := bytes.Repeat([]byte{7}, 32)
	for name, opts := range map[string][]Option{
		"no key":    {WithPrefix(sealed.prefix)},
		"other key": {WithPrefix(sealed.prefix), WithEncryptionKey(other)},
	} {
		var logs syncBuffer
		s, err := New(rdb, append(opts, WithLogger(logs.logger()))...)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(ctx, "k")
		s.Close()
		if got != nil || err != nil {
			t.Errorf("%s: Get = %v, %v; want nil, nil", name, got, err)
		}
		if w := logs.String(); !strings.Contains(w, "WithEncryptionKey") || strings.Contains(w, "secret-tok") {
			t.Errorf("%s: warning %q; want one naming WithEncryptionKey without the token", name, w)
		}
	}

	// A sealed value moved under another key does not open: the key name
	// is bound to it.
	v := rdb.HGet(ctx, sealed.sessionKey("k"), "v").Val()
	rdb.HSet(ctx, sealed.sessionKey("bob"), "t", "x", "v", v)
	if got, _ := sealed.Get(ctx, "bob"); got != nil {
		t.Fatal("a sealed session copied under another key opened")
	}
}

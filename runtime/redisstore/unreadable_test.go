package redisstore

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/runtime"
)

var newKey = bytes.Repeat([]byte{0x24}, 32)

// process is one process of a fleet: its own store (same prefix) and its
// own session engine.
type process struct {
	s *Store
	c *runtime.Client
}

func newProcess(t *testing.T, rdb *redis.Client, sf *fakevendor.Salesforce, prefix string, logs *syncBuffer, opts ...Option) *process {
	t.Helper()
	s, err := New(rdb, append([]Option{WithPrefix(prefix), WithLogger(logs.logger())}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	c, err := runtime.NewClient(sfService(sf.URL()),
		runtime.WithCredentials(runtime.Password(fleetUser, fleetPass)), runtime.WithStore(s))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return &process{s: s, c: c}
}

func (p *process) call(t *testing.T) { p.query(t, "SELECT Name FROM Account") }

func (p *process) query(t *testing.T, q string) {
	t.Helper()
	var out sfQueryOut
	if err := p.c.Invoke(t.Context(), sfQueryOp, &sfQueryIn{QueryString: q}, &out); err != nil {
		t.Errorf("call failed: %v", err)
	}
}

func newSF(t *testing.T) *fakevendor.Salesforce {
	sf := fakevendor.NewSalesforce(fakevendor.SalesforceConfig{Users: map[string]string{fleetUser: fleetPass}})
	t.Cleanup(sf.Close)
	return sf
}

// sessionKeys lists the session hashes under prefix.
func sessionKeys(t *testing.T, rdb *redis.Client, prefix string) []string {
	t.Helper()
	keys := rdb.Keys(context.Background(), prefix+"s:*").Val()
	if len(keys) != 1 {
		t.Fatalf("session keys under %s: %v; want one", prefix, keys)
	}
	return keys
}

// An unreadable value (forged, corrupt, sealed under a key nobody has, a
// marker that does not verify) does not block the fleet: the next process
// warns, logs in once under the lock, replaces exactly that value, and the
// rest of the fleet adopts the new session. Every key has a TTL.
func TestUnreadableValueIsReplacedByOneLogin(t *testing.T) {
	noLeaks(t)
	rdb := newClient(t)
	for name, c := range map[string]struct {
		opts  []Option
		field string
		value string
	}{
		"corrupt":          {nil, "v", "p{not json"},
		"unknown format":   {nil, "v", "zzz"},
		"foreign key":      {[]Option{WithEncryptionKey(testKey)}, "v", "g" + strings.Repeat("\x01", 60)},
		"forged marker":    {[]Option{WithEncryptionKey(testKey)}, "r", "1"},
		"plain with a key": {[]Option{WithEncryptionKey(testKey)}, "v", `p{"token":"x"}`},
	} {
		t.Run(name, func(t *testing.T) {
			sf := newSF(t)
			prefix := testPrefix(t)
			t.Cleanup(func() { rdb.Del(context.Background(), rdb.Keys(context.Background(), prefix+"*").Val()...) })
			var logs syncBuffer
			first := newProcess(t, rdb, sf, prefix, &logs, c.opts...)
			first.call(t)
			key := sessionKeys(t, rdb, prefix)[0]
			if ttl := rdb.PTTL(t.Context(), key).Val(); ttl <= 0 || ttl > DefaultMaxTTL {
				t.Fatalf("the Salesforce session key has PTTL %v; want a bounded TTL", ttl)
			}
			rdb.Del(t.Context(), key)
			rdb.HSet(t.Context(), key, c.field, c.value)

			next := newProcess(t, rdb, sf, prefix, &logs, c.opts...)
			next.call(t)
			if n := sf.Logins.Load(); n != 2 {
				t.Fatalf("logins = %d; want 2 (one more to replace the unreadable value)", n)
			}
			if !strings.Contains(logs.String(), "unreadable") {
				t.Errorf("no warning about the unreadable value: %q", logs.String())
			}
			if f := rdb.HKeys(t.Context(), key).Val(); strings.Join(f, ",") != "t,v" && strings.Join(f, ",") != "v,t" {
				t.Fatalf("after the login the key holds fields %v; want a session (t, v)", f)
			}
			// The rest of the fleet adopts it.
			newProcess(t, rdb, sf, prefix, &logs, c.opts...).call(t)
			if n := sf.Logins.Load(); n != 2 {
				t.Errorf("logins = %d after a third process; want 2 (adopted)", n)
			}
			if ttl := rdb.PTTL(t.Context(), key).Val(); ttl <= 0 {
				t.Errorf("replaced key has PTTL %v; want a TTL", ttl)
			}
		})
	}
}

// The replacement is a compare-and-swap over the unreadable bytes: a
// readable session stored meanwhile (another process won the race after
// the lock's TTL) is not overwritten.
func TestUnreadableReplaceIsCompareAndSwap(t *testing.T) {
	rdb := newClient(t)
	ctx := context.Background()
	var logs syncBuffer
	s := newTestStore(t, rdb, WithLogger(logs.logger()))
	rdb.HSet(ctx, s.sessionKey("k"), "v", "garbage")
	if got, err := s.Get(ctx, "k"); got != nil || err != nil {
		t.Fatalf("Get = %v, %v", got, err)
	}
	other, _ := New(rdb, WithPrefix(s.prefix), WithLogger(logs.logger()))
	defer other.Close()
	other.Get(ctx, "k")
	if ok, err := other.CompareAndSwap(ctx, "k", "", session("theirs"), time.Minute); !ok || err != nil {
		t.Fatalf("first replacement = %v, %v", ok, err)
	}
	if ok, _ := s.CompareAndSwap(ctx, "k", "", session("mine"), time.Minute); ok {
		t.Fatal("a second replacement overwrote the readable session stored meanwhile")
	}
	if got, _ := s.Get(ctx, "k"); got == nil || got.Token != "theirs" {
		t.Fatalf("Get = %v; want the other's session", got)
	}
	if strings.Count(logs.String(), "unreadable") != 2 {
		t.Errorf("want one warning per store that met the value:\n%s", logs.String())
	}
}

// A key rollout: processes with (old, new), (new, old) and, half way,
// processes not yet given the new key, share sessions with no failure and
// no logins back and forth. Tokens are recognised under either key.
func TestKeyRolloutSharesWithoutPingPong(t *testing.T) {
	noLeaks(t)
	rdb := newClient(t)
	oldKey := testKey
	t.Run("step 1: old,new beside old", func(t *testing.T) {
		sf := newSF(t)
		prefix := testPrefix(t)
		var logs syncBuffer
		ps := []*process{
			newProcess(t, rdb, sf, prefix, &logs, WithEncryptionKeys(oldKey, newKey)),
			newProcess(t, rdb, sf, prefix, &logs, WithEncryptionKey(oldKey)),
		}
		for range 3 {
			for _, p := range ps {
				p.call(t)
			}
		}
		if n := sf.Logins.Load(); n != 1 || logs.String() != "" {
			t.Errorf("logins %d, warnings %q; want 1 and none", n, logs.String())
		}
	})
	t.Run("step 2 half done: new,old beside old,new and old", func(t *testing.T) {
		sf := newSF(t)
		prefix := testPrefix(t)
		var logs syncBuffer
		ps := []*process{
			newProcess(t, rdb, sf, prefix, &logs, WithEncryptionKeys(newKey, oldKey)),
			newProcess(t, rdb, sf, prefix, &logs, WithEncryptionKeys(oldKey, newKey)),
		}
		for range 3 {
			for _, p := range ps {
				p.call(t)
			}
		}
		if n := sf.Logins.Load(); n != 1 {
			t.Errorf("logins %d with both keys everywhere; want 1", n)
		}
		// A straggler without the new key: one login of its own, after
		// which every process (new ones included) reads its value.
		late := newProcess(t, rdb, sf, prefix, &logs, WithEncryptionKey(oldKey))
		for range 3 {
			late.call(t)
			newProcess(t, rdb, sf, prefix, &logs, WithEncryptionKeys(newKey, oldKey)).call(t)
		}
		if n := sf.Logins.Load(); n != 2 {
			t.Errorf("logins %d with a straggler; want 2 (no back and forth)", n)
		}
	})
	t.Run("tokens under either key", func(t *testing.T) {
		ctx := context.Background()
		a := newTestStore(t, rdb, WithEncryptionKeys(newKey, oldKey))
		b, _ := New(rdb, WithPrefix(a.prefix), WithEncryptionKeys(oldKey, newKey))
		defer b.Close()
		a.CompareAndSwap(ctx, "k", "", session("T1"), time.Minute)
		if ok, err := b.CompareAndSwap(ctx, "k", "T1", session("T2"), time.Minute); !ok || err != nil {
			t.Fatalf("CAS over a token digested under the other key = %v, %v", ok, err)
		}
		if ok, _ := a.CompareAndDelete(ctx, "k", "T2"); !ok {
			t.Fatal("CAD of a token digested under the other key failed")
		}
	})
}

// A rotation marker nobody with the key wrote does not turn sharing off:
// with a key it is an unreadable value (warned, replaced); without one it
// cannot be told from a real one, and the store warns that sharing is off.
func TestForgedMarkerDoesNotSilentlyStopSharing(t *testing.T) {
	noLeaks(t)
	rdb := newClient(t)
	ctx := context.Background()
	var logs syncBuffer
	s := newTestStore(t, rdb, WithEncryptionKey(testKey), WithLogger(logs.logger()))
	rdb.HSet(ctx, s.sessionKey("k"), "r", "1")
	if got, err := s.Get(ctx, "k"); got != nil || err != nil {
		t.Fatalf("Get = %v, %v", got, err)
	}
	if ok, err := s.CompareAndSwap(ctx, "k", "", session("shared"), time.Minute); !ok || err != nil {
		t.Fatalf("replacing the forged marker = %v, %v", ok, err)
	}
	if f := rdb.HKeys(ctx, s.sessionKey("k")).Val(); len(f) != 2 {
		t.Fatalf("fields %v; want the session shared in Redis again", f)
	}
	if !strings.Contains(logs.String(), "rotation marker that does not verify") {
		t.Errorf("no warning: %q", logs.String())
	}
	// A real marker (this store's MAC) is followed.
	real := s.codec.marker(s.sessionKey("m"))
	rdb.HSet(ctx, s.sessionKey("m"), "r", real)
	if ok, _ := s.CompareAndSwap(ctx, "m", "", session("local"), time.Minute); !ok {
		t.Fatal("CAS under a real marker failed")
	}
	if f := rdb.HKeys(ctx, s.sessionKey("m")).Val(); len(f) != 1 || f[0] != "r" {
		t.Fatalf("a real marker was overwritten: %v", f)
	}

	var plainLogs syncBuffer
	p := newTestStore(t, rdb, WithLogger(plainLogs.logger()))
	rdb.HSet(ctx, p.sessionKey("k"), "r", plainMarker)
	p.Get(ctx, "k")
	p.Get(ctx, "k")
	if n := strings.Count(plainLogs.String(), "kept per process"); n != 1 {
		t.Errorf("warnings about sharing turned off = %d; want 1:\n%s", n, plainLogs.String())
	}
}

// A FailoverClient's errors name the master and the sentinels, not the
// literal "FailoverClient".
func TestSentinelNamedInErrors(t *testing.T) {
	noLeaks(t)
	dead := freeAddr(t)
	fo := &redis.FailoverOptions{MasterName: "billing-master", SentinelAddrs: []string{dead}, MaxRetries: -1, DialTimeout: time.Second}
	rdb := redis.NewFailoverClient(fo)
	defer rdb.Close()
	for _, tc := range []struct {
		opts []Option
		want []string
	}{
		{[]Option{WithSentinel(fo.MasterName, fo.SentinelAddrs...)}, []string{`"billing-master"`, dead}},
		{nil, []string{"Sentinel-managed", "WithSentinel"}},
	} {
		s, err := New(rdb, tc.opts...)
		if err != nil {
			t.Fatal(err)
		}
		// Dials to the dead sentinel fail at once or this ends them.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_, err = s.Get(ctx, "k")
		cancel()
		s.Close()
		if err == nil {
			t.Fatal("Get through dead sentinels succeeded")
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error %q does not name %s", err, w)
			}
		}
		if strings.Contains(err.Error(), "at FailoverClient") {
			t.Errorf("error names the placeholder: %v", err)
		}
	}
}

// A store that met an unreadable value in clear (a session written by a
// process without the key) prints none of it.
func TestStorePrintsNoSecret(t *testing.T) {
	rdb := newClient(t)
	ctx := context.Background()
	var logs syncBuffer
	plain := newTestStore(t, rdb)
	plain.Put(ctx, "k", session("clear-secret-token"), time.Minute)
	s, _ := New(rdb, WithPrefix(plain.prefix), WithEncryptionKey(testKey), WithLogger(logs.logger()))
	defer s.Close()
	if got, _ := s.Get(ctx, "k"); got != nil {
		t.Fatal("a clear value opened under a key")
	}
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("store", "s", s)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("store", "s", s)
	var v any = s // as a caller's generic logging would hold it
	for _, out := range []string{fmt.Sprintf("%v", v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v), fmt.Sprintf("%s", v), fmt.Sprintf("%q", v), text.String(), js.String(), logs.String()} {
		if strings.Contains(out, "clear-secret-token") {
			t.Errorf("printed store carries a secret: %s", out)
		}
	}
}

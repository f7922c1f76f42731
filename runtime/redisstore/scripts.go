package redisstore

import "github.com/redis/go-redis/v9"

// Session hashes have the fields t (token digest), v (value) and, for a
// rotating session kept per process, r (the marker; no t or v then). Every
// script that writes a session returns 2 when it finds the marker, so the
// caller switches to its process-local copy.

// putScript: KEYS[1] session; ARGV digest, value, ttl ms (0: none).
var putScript = redis.NewScript(`
if redis.call('HEXISTS', KEYS[1], 'r') == 1 then return 2 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 't', ARGV[1], 'v', ARGV[2])
if tonumber(ARGV[3]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return 1
`)

// casScript: KEYS[1] session; ARGV old digest ("" with no session: only if
// absent), new digest, value, ttl ms. Returns 1 stored, 0 not, 2 marker.
var casScript = redis.NewScript(`
local cur = redis.call('HMGET', KEYS[1], 't', 'r')
if cur[2] then return 2 end
if ARGV[1] == '' then
  if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
elseif cur[1] ~= ARGV[1] then
  return 0
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 't', ARGV[2], 'v', ARGV[3])
if tonumber(ARGV[4]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
return 1
`)

// cadScript: KEYS[1] session; ARGV digest. Returns 1 deleted, 0 not, 2
// marker.
var cadScript = redis.NewScript(`
local cur = redis.call('HMGET', KEYS[1], 't', 'r')
if cur[2] then return 2 end
if cur[1] == ARGV[1] then redis.call('DEL', KEYS[1]) return 1 end
return 0
`)

// markScript turns a shared session into the rotating marker when its
// stored token is the one being rotated. KEYS[1] session; ARGV old digest,
// marker ttl ms. Returns 1 marked now, 0 token differs, 2 already marked.
var markScript = redis.NewScript(`
local cur = redis.call('HMGET', KEYS[1], 't', 'r')
if cur[2] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 2
end
if cur[1] ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'r', '1')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`)

// acquireScript: KEYS[1] lock; ARGV owner, ttl ms. Returns -3 when taken,
// else the holder's remaining PTTL (-1: none, -2: just released).
var acquireScript = redis.NewScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return -3 end
return redis.call('PTTL', KEYS[1])
`)

// releaseScript: KEYS[1] lock; ARGV owner, channel. Deletes and announces
// only when owner still holds it. Returns 1 released, 0 not held.
var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], KEYS[1])
  return 1
end
return 0
`)

// extendScript: KEYS[1] lock; ARGV owner, ttl ms. Returns 1 extended, 0
// not held.
var extendScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`)

package redisstore

import "github.com/redis/go-redis/v9"

// Session hashes have the fields t (token digest), v (value) and, for a
// rotating session kept per process, r (the marker; no t or v then). Lists
// of acceptable digests or markers (one per key of a rollout) are passed
// comma-separated. Every script that writes a session returns 2 when it
// finds a marker that verifies, so the caller switches to its
// process-local copy; a marker that does not verify is no marker.
const luaMember = `
local function member(list, x)
  if not x then return false end
  if list == '' then return x == '' end
  for v in string.gmatch(list, '[^,]+') do
    if v == x then return true end
  end
  return false
end
`

// putScript: KEYS[1] session; ARGV digest, value, ttl ms, valid markers.
var putScript = redis.NewScript(luaMember + `
if member(ARGV[4], redis.call('HGET', KEYS[1], 'r')) then return 2 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 't', ARGV[1], 'v', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`)

// casScript: KEYS[1] session; ARGV old digests ("": only if there is no
// session), new digest, value, ttl ms, valid markers, and the field and
// bytes of a value this process found unreadable ("" ""): a session equal
// to those is replaced as if absent. Returns 1 stored, 0 not, 2 marker.
var casScript = redis.NewScript(luaMember + `
local cur = redis.call('HMGET', KEYS[1], 't', 'r')
if member(ARGV[5], cur[2]) then return 2 end
local over = ARGV[6] ~= '' and redis.call('HGET', KEYS[1], ARGV[6]) == ARGV[7]
if not over then
  if ARGV[1] == '' then
    if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
  elseif not member(ARGV[1], cur[1]) then
    return 0
  end
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 't', ARGV[2], 'v', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`)

// cadScript: KEYS[1] session; ARGV digests, valid markers. Returns 1
// deleted, 0 not, 2 marker.
var cadScript = redis.NewScript(cadSource)

const cadSource = luaMember + `
local cur = redis.call('HMGET', KEYS[1], 't', 'r')
if member(ARGV[2], cur[2]) then return 2 end
if member(ARGV[1], cur[1]) then redis.call('DEL', KEYS[1]) return 1 end
return 0
`

// markScript turns a shared session into the rotating marker when its
// stored token is the one being rotated. KEYS[1] session; ARGV old
// digests, marker ttl ms, marker to write, valid markers. Returns 1 marked
// now, 0 token differs, 2 already marked.
var markScript = redis.NewScript(luaMember + `
local cur = redis.call('HMGET', KEYS[1], 't', 'r')
if member(ARGV[4], cur[2]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 2
end
if not member(ARGV[1], cur[1]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'r', ARGV[3])
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

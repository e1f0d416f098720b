// The current Node.js clients, node-redis (`redis`) and ioredis, used the
// way their READMEs show, against shardd at 127.0.0.1:<port> (argv[2]):
// strings, hashes, sets, sorted sets, pipelines, transactions, pub/sub
// with a second connection, CLIENT SETNAME/GETNAME and blocking pops.
// Prints "node clients ok" and exits 0, or throws.
import assert from 'node:assert/strict';
import { createClient } from 'redis';
import Redis from 'ioredis';

const port = Number(process.argv[2]);
// (The timer does not keep the process alive once everything is done.)
const withTimeout = (promise, what) =>
  Promise.race([
    promise,
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`timed out: ${what}`)), 10000)
        .unref()),
  ]);

async function nodeRedis() {
  // node-redis speaks RESP3 by default: it connects with HELLO 3 SETNAME.
  const client = createClient({
    socket: { host: '127.0.0.1', port },
    name: 'node-redis-test',
  });
  client.on('error', (error) => { throw error; });
  await client.connect();
  assert.equal(await client.clientGetName(), 'node-redis-test');
  assert.equal(await client.clientSetName('renamed'), 'OK');
  assert.equal(await client.clientGetName(), 'renamed');

  assert.equal(await client.set('nr:string', 'value'), 'OK');
  assert.equal(await client.get('nr:string'), 'value');
  assert.equal(await client.get('nr:missing'), null);
  assert.equal(await client.incr('nr:counter'), 1);
  // Keys on different shards.
  await client.mSet({ 'nr:a': '1', 'nr:b': '2', 'nr:c': '3' });
  assert.deepEqual(await client.mGet(['nr:a', 'nr:b', 'nr:c', 'nr:none']),
                   ['1', '2', '3', null]);
  await client.hSet('nr:hash', { field: 'v', other: 'w' });
  assert.deepEqual({ ...(await client.hGetAll('nr:hash')) },
                   { field: 'v', other: 'w' });
  await client.sAdd('nr:set', ['x', 'y']);
  assert.deepEqual((await client.sMembers('nr:set')).sort(), ['x', 'y']);
  await client.zAdd('nr:zset', [{ score: 1.5, value: 'one' },
                                { score: 2, value: 'two' }]);
  assert.deepEqual(await client.zRangeWithScores('nr:zset', 0, -1),
                   [{ value: 'one', score: 1.5 }, { value: 'two', score: 2 }]);
  assert.equal(await client.zScore('nr:zset', 'one'), 1.5);

  const pipelined = await client.multi()
    .set('nr:p', '1').incr('nr:p').get('nr:p').execAsPipeline();
  assert.deepEqual(pipelined, ['OK', 2, '2']);
  const transaction = await client.multi()
    .set('nr:t', 'a').append('nr:t', 'b').get('nr:t').exec();
  assert.deepEqual(transaction, ['OK', 2, 'ab']);

  // Pub/sub on a second connection (which shardd may put on another shard).
  const subscriber = client.duplicate();
  await subscriber.connect();
  const received = new Promise((resolve) => {
    subscriber.subscribe('nr:news', (message, channel) =>
      resolve([channel, message]));
  });
  const patterned = new Promise((resolve) => {
    subscriber.pSubscribe('nr:n*', (message, channel) =>
      resolve([channel, message]));
  });
  // Subscriptions are confirmed before PUBLISH counts them.
  for (let i = 0; i < 100 && await client.publish('nr:news', 'hello') < 2;
       ++i) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.deepEqual(await withTimeout(received, 'node-redis message'),
                   ['nr:news', 'hello']);
  assert.deepEqual(await withTimeout(patterned, 'node-redis pmessage'),
                   ['nr:news', 'hello']);
  await subscriber.unsubscribe();
  await subscriber.pUnsubscribe();

  // A blocking pop served by a push from the other connection.
  const popped = subscriber.blPop('nr:queue', 5);
  await client.rPush('nr:queue', 'job');
  assert.deepEqual({ ...(await withTimeout(popped, 'node-redis BLPOP')) },
                   { key: 'nr:queue', element: 'job' });

  await subscriber.quit();
  await client.quit();
}

async function ioredis() {
  const client = new Redis({ host: '127.0.0.1', port,
                             connectionName: 'ioredis-test',
                             maxRetriesPerRequest: 1 });
  assert.equal(await client.client('GETNAME'), 'ioredis-test');
  assert.equal(await client.client('SETNAME', 'renamed'), 'OK');
  assert.equal(await client.client('GETNAME'), 'renamed');

  assert.equal(await client.set('io:string', 'value'), 'OK');
  assert.equal(await client.get('io:string'), 'value');
  await client.hset('io:hash', { field: 'v', other: 'w' });
  assert.deepEqual(await client.hgetall('io:hash'), { field: 'v', other: 'w' });
  assert.deepEqual(await client.mget('io:string', 'io:none'), ['value', null]);

  const pipelined = await client.pipeline()
    .set('io:p', '1').incr('io:p').get('io:p').exec();
  assert.deepEqual(pipelined, [[null, 'OK'], [null, 2], [null, '2']]);
  const transaction = await client.multi()
    .set('io:t', 'a').append('io:t', 'b').get('io:t').exec();
  assert.deepEqual(transaction, [[null, 'OK'], [null, 2], [null, 'ab']]);

  const subscriber = client.duplicate();
  const received = new Promise((resolve) => {
    subscriber.on('message', (channel, message) => resolve([channel, message]));
  });
  assert.equal(await subscriber.subscribe('io:news'), 1);
  assert.equal(await client.publish('io:news', 'hello'), 1);
  assert.deepEqual(await withTimeout(received, 'ioredis message'),
                   ['io:news', 'hello']);
  const patterned = new Promise((resolve) => {
    subscriber.on('pmessage', (pattern, channel, message) =>
      resolve([pattern, channel, message]));
  });
  assert.equal(await subscriber.psubscribe('io:n*'), 2);
  assert.equal(await client.publish('io:news', 'again'), 2);
  assert.deepEqual(await withTimeout(patterned, 'ioredis pmessage'),
                   ['io:n*', 'io:news', 'again']);
  subscriber.disconnect();

  const blocker = client.duplicate();
  const popped = blocker.blpop('io:queue', 5);
  await client.rpush('io:queue', 'job');
  assert.deepEqual(await withTimeout(popped, 'ioredis BLPOP'),
                   ['io:queue', 'job']);
  blocker.disconnect();
  await client.quit();
}

await nodeRedis();
await ioredis();
console.log('node clients ok');

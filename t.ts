import { PGlite } from '@electric-sql/pglite';

let t = Date.now();
const db = await PGlite.create();
console.log('memory create ms', Date.now() - t);
await db.exec('create table x(a int)');
t = Date.now();
const dump = await db.dumpDataDir('none');
console.log('dump ms', Date.now() - t, dump.size);
t = Date.now();
const db2 = await PGlite.create({ loadDataDir: dump });
console.log('load ms', Date.now() - t, (await db2.query('select count(*) from x')).rows);

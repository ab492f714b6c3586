// importScript on hand-written dumps in the shape pg_dump, mysqldump and sqlite3 .dump produce.

import { describe, expect, it } from 'vitest';
import { Database } from '../../src/index.js';
import { importScript } from '../../src/migrate/import.js';

const PG_DUMP = String.raw`--
-- PostgreSQL database dump
--

\restrict AbCdEf123

-- Dumped from database version 16.2
SET statement_timeout = 0;
SET lock_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET default_tablespace = '';
SET default_table_access_method = heap;

CREATE TYPE public.mood AS ENUM (
    'sad',
    'happy'
);

ALTER TYPE public.mood OWNER TO postgres;

CREATE FUNCTION public.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.updated := now(); -- a semicolon inside a dollar quote
  RETURN NEW;
END;
$$;

CREATE TABLE public.authors (
    id integer NOT NULL,
    name character varying(100) NOT NULL,
    bio text,
    active boolean DEFAULT true NOT NULL,
    nickname character varying(20) DEFAULT 'anon'::character varying,
    created timestamp(3) without time zone DEFAULT now()
);

ALTER TABLE public.authors OWNER TO postgres;

CREATE SEQUENCE public.authors_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.authors_id_seq OWNED BY public.authors.id;

CREATE TABLE public.books (
    id bigint NOT NULL,
    author_id integer,
    title text NOT NULL,
    price numeric(8,2),
    cover bytea,
    tags text[]
);

ALTER TABLE public.books ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.books_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

ALTER TABLE ONLY public.authors ALTER COLUMN id SET DEFAULT nextval('public.authors_id_seq'::regclass);

COPY public.authors (id, name, bio, active, nickname, created) FROM stdin;
1	Ada	Tab\there, newline\nthere, backslash \\ done	t	\N	2024-01-02 03:04:05
2	Bob	\N	f	bobby	\N
3	Zoë ☃		t	\N	\N
\.

COPY public.books (id, author_id, title, price, cover, tags) FROM stdin;
10	1	Notes	12.50	\\x00ff10	{a,b}
11	2	Semi;colon -- not a comment	0.10	\N	\N
12	\N	Orphan	\N	\\x	{}
\.

SELECT pg_catalog.setval('public.authors_id_seq', 3, true);

ALTER TABLE ONLY public.authors
    ADD CONSTRAINT authors_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.books
    ADD CONSTRAINT books_pkey PRIMARY KEY (id);

CREATE INDEX books_author_idx ON public.books USING btree (author_id);

CREATE INDEX books_title_trgm ON public.books USING gin (title);

ALTER TABLE ONLY public.books
    ADD CONSTRAINT books_author_fkey FOREIGN KEY (author_id) REFERENCES public.authors(id);

COMMENT ON TABLE public.books IS 'All the books; really';

CREATE VIEW public.cheap_books AS
 SELECT books.title
   FROM public.books
  WHERE (books.price < (1)::numeric);

GRANT SELECT ON TABLE public.books TO reader;

\unrestrict AbCdEf123

--
-- PostgreSQL database dump complete
--
`;

const MYSQL_DUMP = String.raw`-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
--
-- Host: localhost    Database: shop
-- ------------------------------------------------------
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8mb4 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;

--
-- Table structure for table ` + '`orders`' + String.raw`
--

DROP TABLE IF EXISTS ` + '`orders`' + String.raw`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!50503 SET character_set_client = utf8mb4 */;
CREATE TABLE ` + '`orders` (\n  `id` int unsigned NOT NULL AUTO_INCREMENT,\n  `customer_id` int NOT NULL,\n  `note` varchar(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci DEFAULT NULL COMMENT \'free text\',\n  `status` enum(\'new\',\'paid\') NOT NULL DEFAULT \'new\',\n  `amount` decimal(10,2) NOT NULL DEFAULT \'0.00\',\n  `payload` blob,\n  `updated` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,\n  PRIMARY KEY (`id`),\n  UNIQUE KEY `uq_note` (`customer_id`,`note`),\n  KEY `idx_customer` (`customer_id`),\n  KEY `idx_status` (`status`,`amount`) USING BTREE,\n  CONSTRAINT `orders_ibfk_1` FOREIGN KEY (`customer_id`) REFERENCES `customers` (`id`) ON DELETE CASCADE\n) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci COMMENT=\'orders\';\n' + String.raw`/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES ` + '`orders`' + String.raw` WRITE;
/*!40000 ALTER TABLE ` + '`orders`' + String.raw` DISABLE KEYS */;
INSERT INTO ` + '`orders`' + String.raw` VALUES (1,1,'It\'s \"quoted\"\\path\nnext','new',9.99,0x00FF7F,'2024-01-01 00:00:00'),(2,2,NULL,'paid',0.10,_binary 'raw','2024-01-02 00:00:00'),(3,1,'Zoë; semi','paid',1e3,NULL,'2024-01-03 00:00:00');
/*!40000 ALTER TABLE ` + '`orders`' + String.raw` ENABLE KEYS */;
UNLOCK TABLES;

DROP TABLE IF EXISTS ` + '`customers`' + String.raw`;
CREATE TABLE ` + '`customers` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  `name` varchar(50) NOT NULL,\n  PRIMARY KEY (`id`),\n  KEY `idx_name` (`name`(10))\n) ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4;\n' + String.raw`
LOCK TABLES ` + '`customers`' + String.raw` WRITE;
INSERT INTO ` + '`customers`' + String.raw` VALUES (1,'Ann'),(2,'Bo\\b');
UNLOCK TABLES;

--
-- Final view structure for view ` + '`big_orders`' + String.raw`
--

/*!50001 DROP VIEW IF EXISTS ` + '`big_orders`' + String.raw`*/;
/*!50001 SET @saved_cs_client          = @@character_set_client */;
/*!50001 CREATE ALGORITHM=UNDEFINED */
/*!50013 DEFINER=` + '`root`@`localhost`' + String.raw` SQL SECURITY DEFINER */
/*!50001 VIEW ` + '`big_orders` AS select `orders`.`id` AS `id`,`orders`.`amount` AS `amount` from `orders` where (`orders`.`amount` > 5)' + String.raw` */;
/*!50001 SET character_set_client      = @saved_cs_client */;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;

-- Dump completed on 2024-05-01 12:00:00
`;

const SQLITE_DUMP = `PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE child (id INTEGER PRIMARY KEY AUTOINCREMENT, parent_id INTEGER REFERENCES parent(id), note TEXT);
INSERT INTO child VALUES(1,1,'first; child');
INSERT INTO child VALUES(2,2,replace('a\\nb','\\n',char(10)));
CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT) WITHOUT ROWID;
INSERT INTO parent VALUES(1,'one');
INSERT INTO parent VALUES(2,'two');
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('child',2);
CREATE INDEX child_parent ON child(parent_id);
PRAGMA writable_schema=ON;
INSERT INTO sqlite_schema(type,name,tbl_name,rootpage,sql)VALUES('table','docs','docs',0,'CREATE VIRTUAL TABLE docs USING fts5(body)');
PRAGMA writable_schema=OFF;
CREATE TRIGGER child_ins AFTER INSERT ON child BEGIN
  UPDATE parent SET name = name || ';' WHERE id = NEW.parent_id;
END;
COMMIT;
`;

async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await Database.open(':memory:');
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

describe('pg_dump plain format', () => {
  it('loads COPY blocks with escapes, folds keys and serials, and lists what it skipped', async () => {
    await withDb(async (db) => {
      const s = await importScript(db, PG_DUMP);
      expect(s.dialect).toBe('postgres');
      expect(s.rows).toEqual({ authors: 3, books: 3 });
      const authors = await db.executeSql('SELECT id, name, bio, active, nickname, created FROM authors ORDER BY id');
      expect(authors.rows).toEqual([
        [1, 'Ada', 'Tab\there, newline\nthere, backslash \\ done', 1, null, '2024-01-02 03:04:05'],
        [2, 'Bob', null, 0, 'bobby', null],
        [3, 'Zoë ☃', '', 1, null, null],
      ]);
      const books = await db.executeSql('SELECT id, author_id, title, price, cover, tags FROM books ORDER BY id');
      expect(books.rows).toEqual([
        [10, 1, 'Notes', 12.5, Uint8Array.of(0x00, 0xff, 0x10), '{a,b}'],
        [11, 2, 'Semi;colon -- not a comment', 0.1, null, null],
        [12, null, 'Orphan', null, new Uint8Array(0), '{}'],
      ]);
      // The primary keys from ALTER TABLE were folded into CREATE TABLE, the serial default became a counter.
      expect(db.getTableSchema('authors').primaryKey).toEqual([0]);
      expect(db.getTableSchema('books').primaryKey).toEqual([0]);
      const next = await db.executeSql("INSERT INTO authors (name) VALUES ('Cy') RETURNING id");
      expect(next.rows).toEqual([[4]]);
      expect(db.getTableSchema('authors').columns.find((c) => c.name === 'nickname')?.defaultSql).toBe("'anon'");
      expect(db.getTableSchema('books').foreignKeys).toEqual([expect.objectContaining({ refTable: 'authors', columns: ['author_id'] })]);
      await expect(db.executeSql('INSERT INTO books (id, author_id, title) VALUES (13, 99, \'x\')')).rejects.toThrow(/FOREIGN KEY/);
      expect(db.listIndexes('books').map((i) => i.name)).toContain('books_author_idx');
      expect((await db.executeSql('SELECT title FROM cheap_books')).rows).toEqual([['Semi;colon -- not a comment']]);
      const reasons = s.skipped.map((k) => `${k.line} ${k.reason}`);
      expect(reasons).toEqual([
        '5 psql meta-command',
        ...[8, 9, 10, 11].map((l) => `${l} session setting`),
        '12 session setting',
        ...[13, 14, 15].map((l) => `${l} session setting`),
        '17 user-defined types are not supported; columns of the type keep their values',
        '22 ownership',
        '24 functions are not supported (no data)',
        '42 ownership',
        '44 sequences are not supported; SERIAL, IDENTITY and AUTOINCREMENT columns keep their own counters',
        '52 sequences are not supported',
        '86 sequence position: ToonDB counters continue after the largest imported key',
        '96 index method gin is not supported',
        '101 comments on objects are not stored',
        '108 privileges are not supported',
        '110 psql meta-command',
      ]);
      expect(s.translated.map((t) => t.note)).toEqual(
        expect.arrayContaining(['books.tags: array type stored as TEXT', 'authors.id default nextval() became SERIAL', 'primary key folded into CREATE TABLE authors']),
      );
    });
  });

  it('names the line of a COPY block whose rows do not load', async () => {
    await withDb(async (db) => {
      const script = 'CREATE TABLE t (id integer PRIMARY KEY, n integer NOT NULL);\n\nCOPY t (id, n) FROM stdin;\n1\t1\n2\t\\N\n\\.\n';
      await expect(importScript(db, script, { dialect: 'postgres' })).rejects.toThrow(/line 3 \(COPY t \(id, n\) FROM stdin.*NOT NULL/s);
      const csv = 'CREATE TABLE v (a int);\nCOPY v (a) FROM stdin WITH (FORMAT csv);\n1\n\\.\n';
      await expect(importScript(db, csv, { dialect: 'postgres' })).rejects.toThrow(/line 2 .*COPY options "WITH\s*\(FORMAT csv\)" are not supported/);
      const wrongWidth = 'CREATE TABLE u (a int, b int);\nCOPY u FROM stdin;\n1\t2\t3\n\\.\n';
      await expect(importScript(db, wrongWidth, { dialect: 'postgres' })).rejects.toThrow(/line 2 .*data row 1 has 3 fields, expected 2/);
    });
  });
});

describe('statement boundaries', () => {
  it('keeps SQLite trigger bodies whole, ends PostgreSQL triggers at their semicolon, and honours MySQL DELIMITER', async () => {
    await withDb(async (db) => {
      const pg = await importScript(
        db,
        '-- PostgreSQL database dump\nCREATE TABLE public.a (id integer);\nCREATE TRIGGER t BEFORE INSERT ON public.a FOR EACH ROW EXECUTE FUNCTION public.f();\nINSERT INTO public.a VALUES (1);\n',
      );
      expect(pg.skipped.map((k) => [k.line, k.reason])).toEqual([[3, 'triggers are not supported (no data; the trigger will not fire)']]);
      expect(pg.rows).toEqual({ a: 1 });
    });
    await withDb(async (db) => {
      const my = await importScript(
        db,
        [
          '-- MySQL dump 10.13',
          'CREATE TABLE `b` (`id` int NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB;',
          'DELIMITER ;;',
          "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`%`*/ /*!50003 TRIGGER `b_ins` BEFORE INSERT ON `b` FOR EACH ROW BEGIN SET NEW.id = NEW.id; SET @x = 1; END */;;",
          'DELIMITER ;',
          'INSERT INTO `b` VALUES (1),(2);',
        ].join('\n'),
      );
      expect(my.skipped.map((k) => [k.line, k.reason])).toEqual([
        [3, 'client delimiter change'],
        [4, 'triggers are not supported (no data; the trigger will not fire)'],
        [5, 'client delimiter change'],
      ]);
      expect(my.rows).toEqual({ b: 2 });
    });
    await withDb(async (db) => {
      const lite = await importScript(
        db,
        "CREATE TABLE c (id INTEGER PRIMARY KEY, n TEXT);\nCREATE TRIGGER c_t AFTER INSERT ON c BEGIN\n  UPDATE c SET n = CASE WHEN n IS NULL THEN 'x' ELSE n END WHERE id = NEW.id;\nEND;\nINSERT INTO c VALUES (1, NULL);\n",
      );
      expect(lite.skipped.map((k) => k.line)).toEqual([2]);
      expect(lite.rows).toEqual({ c: 1 });
    });
  });
});

describe('pg_dump --inserts', () => {
  it('decodes bytea values written as \\x text into blobs, and merges single-row INSERTs', async () => {
    await withDb(async (db) => {
      const script = [
        '--\n-- PostgreSQL database dump\n--',
        'SET standard_conforming_strings = on;',
        'CREATE TABLE public.files (id integer NOT NULL, data bytea, note text);',
        ...Array.from({ length: 30 }, (_, i) => `INSERT INTO public.files VALUES (${i}, '\\x${i.toString(16).padStart(2, '0')}ff', '\\x${i}');`),
        "INSERT INTO public.files VALUES (30, NULL, 'it''s');",
        'ALTER TABLE ONLY public.files ADD CONSTRAINT files_pkey PRIMARY KEY (id);',
      ].join('\n');
      const s = await importScript(db, script);
      expect(s.rows).toEqual({ files: 31 });
      expect(s.dialect).toBe('postgres');
      expect(s.statements).toBe(32);
      const r = await db.executeSql('SELECT id, data, note FROM files WHERE id IN (0, 17, 30) ORDER BY id');
      expect(r.rows).toEqual([
        [0, Uint8Array.of(0x00, 0xff), '\\x0'],
        [17, Uint8Array.of(0x11, 0xff), '\\x17'],
        [30, null, "it's"],
      ]);
      expect(s.translated.map((t) => t.note)).toContain("files.data: 30 bytea values written as '\\x…' text decoded to BLOBs");
    });
  });
});

describe('mysqldump', () => {
  it('strips options and conditional comments, turns KEY clauses into indexes, and decodes backslash escapes', async () => {
    await withDb(async (db) => {
      const s = await importScript(db, MYSQL_DUMP);
      expect(s.dialect).toBe('mysql');
      expect(s.rows).toEqual({ orders: 3, customers: 2 });
      const orders = await db.executeSql('SELECT id, customer_id, note, status, amount, payload FROM orders ORDER BY id');
      expect(orders.rows).toEqual([
        [1, 1, 'It\'s "quoted"\\path\nnext', 'new', 9.99, Uint8Array.of(0x00, 0xff, 0x7f)],
        [2, 2, null, 'paid', 0.1, new TextEncoder().encode('raw')],
        [3, 1, 'Zoë; semi', 'paid', 1000, null],
      ]);
      expect((await db.executeSql('SELECT name FROM customers ORDER BY id')).rows).toEqual([['Ann'], ['Bo\\b']]);
      expect(db.listIndexes('orders').filter((i) => !i.implicit).map((i) => i.name).sort()).toEqual(['idx_customer', 'idx_status']);
      expect(db.listIndexes('customers').filter((i) => !i.implicit).map((i) => i.name)).toEqual(['idx_name']);
      expect(db.getTableSchema('orders').uniques).toEqual([expect.objectContaining({ name: 'uq_note', columns: [1, 2] })]);
      expect(db.getTableSchema('orders').autoincrement).toBe(true);
      expect((await db.executeSql('SELECT id, amount FROM big_orders ORDER BY id')).rows).toEqual([
        [1, 9.99],
        [3, 1000],
      ]);
      const next = await db.executeSql("INSERT INTO orders (customer_id, amount) VALUES (2, 1) RETURNING id");
      expect(next.rows[0]![0]).toBe(4);
      // The child table's rows were loaded before its parent existed: they were retried after it,
      // and the foreign key (with its action) is in force.
      await expect(db.executeSql('DELETE FROM customers WHERE id = 1')).resolves.toBeDefined();
      expect((await db.executeSql('SELECT id FROM orders ORDER BY id')).rows).toEqual([[2], [4]]);
      const reasons = new Set(s.skipped.map((k) => k.reason));
      expect(reasons).toEqual(new Set(['session setting', 'table locks', 'trigger, key and row-security switches']));
      expect(s.skipped.filter((k) => k.reason === 'table locks')).toHaveLength(4);
      expect(s.translated.map((t) => t.note)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^orders: table options dropped: ENGINE/),
          'orders.id: AUTO_INCREMENT primary key became INTEGER PRIMARY KEY AUTOINCREMENT',
          'orders.status: ENUM/SET type became TEXT',
        ]),
      );
    });
  });
});

describe('sqlite3 .dump', () => {
  it('loads children before parents, skips the pragma, transaction, sqlite_sequence and trigger', async () => {
    await withDb(async (db) => {
      const s = await importScript(db, SQLITE_DUMP);
      expect(s.dialect).toBe('sqlite');
      expect(s.rows).toEqual({ child: 2, parent: 2 });
      expect((await db.executeSql('SELECT id, parent_id, note FROM child ORDER BY id')).rows).toEqual([
        [1, 1, 'first; child'],
        [2, 2, 'a\nb'],
      ]);
      expect((await db.executeSql('SELECT name FROM parent ORDER BY id')).rows).toEqual([['one'], ['two']]);
      expect(s.skipped.map((k) => [k.line, k.reason.split(':')[0]])).toEqual([
        [1, 'SQLite pragma (foreign keys are always enforced; rows are loaded parents first)'],
        [2, 'transaction control'],
        [9, 'sqlite_sequence is internal to SQLite'],
        [10, 'sqlite_sequence'],
        [12, 'SQLite pragma (foreign keys are always enforced; rows are loaded parents first)'],
        [13, 'SQLite schema table (virtual table definition)'],
        [14, 'SQLite pragma (foreign keys are always enforced; rows are loaded parents first)'],
        [15, 'triggers are not supported (no data; the trigger will not fire)'],
        [18, 'transaction control'],
      ]);
      expect(db.listIndexes('child').map((i) => i.name)).toContain('child_parent');
    });
  });

  it('fails on a data statement that cannot load, naming its line', async () => {
    await withDb(async (db) => {
      const script = 'CREATE TABLE a (id INTEGER PRIMARY KEY);\nINSERT INTO a VALUES (1);\n\nINSERT INTO a VALUES (1);\n';
      await expect(importScript(db, script)).rejects.toThrow(/^import failed at line 4 \(INSERT INTO a VALUES \(1\)\): .*UNIQUE|PRIMARY/);
      const orphan = 'CREATE TABLE p (id INTEGER PRIMARY KEY);\nCREATE TABLE c (p INTEGER REFERENCES p(id));\nINSERT INTO c VALUES (7);\n';
      await expect(importScript(db, orphan)).rejects.toThrow(/line 3 .*FOREIGN KEY/);
    });
  });
});

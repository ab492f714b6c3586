// The ToonQL abstract syntax tree: readonly nodes tagged by `kind`, each made by a frozen factory.

/** Half-open range [start, end) of UTF-16 offsets into the statement text a node came from. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** What every node has. */
interface Node<K extends string> {
  readonly kind: K;
  readonly span: Span;
}

// ------------------------------------------------------------------------------------------
// Names and types
// ------------------------------------------------------------------------------------------

/**
 * A name as written. Quoted names ("x", `x`, [x]) are case-sensitive; unquoted ones are not,
 * which later stages honour by folding `name` when `quoted` is false.
 */
export interface Identifier extends Node<'Identifier'> {
  readonly name: string;
  readonly quoted: boolean;
}

/** A possibly schema-qualified object name: `t`, `main.t`. */
export interface ObjectName extends Node<'ObjectName'> {
  readonly schema: Identifier | undefined;
  readonly name: Identifier;
}

/**
 * A type name: words upper-cased and joined by one space (`DOUBLE PRECISION`,
 * `TIMESTAMP WITH TIME ZONE`, `UNSIGNED BIG INT`) and numeric parameters (`NUMERIC(10,2)` → [10, 2]).
 */
export interface TypeName extends Node<'TypeName'> {
  readonly name: string;
  readonly params: readonly number[];
}

// ------------------------------------------------------------------------------------------
// Expressions
// ------------------------------------------------------------------------------------------

/** An integer literal; a bigint when outside ±(2^53 - 1), so large keys stay exact. */
export interface IntegerLiteral extends Node<'IntegerLiteral'> {
  readonly value: number | bigint;
  /** The text as written (with a leading `-` when a negation was folded in). */
  readonly text: string;
}

/** A literal with a fraction or exponent: `1.5`, `.5`, `1e3`. */
export interface RealLiteral extends Node<'RealLiteral'> {
  readonly value: number;
  readonly text: string;
}

/** A string literal with escapes resolved ('it''s', E'a\n', N'x'). */
export interface StringLiteral extends Node<'StringLiteral'> {
  readonly value: string;
}

/** A blob literal x'00ff'. */
export interface BlobLiteral extends Node<'BlobLiteral'> {
  readonly value: Uint8Array;
}

/** NULL. */
export type NullLiteral = Node<'NullLiteral'>;

/** TRUE or FALSE. */
export interface BooleanLiteral extends Node<'BooleanLiteral'> {
  readonly value: boolean;
}

/** CURRENT_DATE, CURRENT_TIME or CURRENT_TIMESTAMP, evaluated at run time. */
export interface CurrentTimeLiteral extends Node<'CurrentTimeLiteral'> {
  readonly which: 'CURRENT_DATE' | 'CURRENT_TIME' | 'CURRENT_TIMESTAMP';
}

/** INTERVAL '1 day', INTERVAL '2' HOUR, INTERVAL 3 DAYS. */
export interface IntervalLiteral extends Node<'IntervalLiteral'> {
  /** The quantity text ('1 day', '2', '3'). */
  readonly value: string;
  /** The unit word after the quantity, upper-cased, if any. */
  readonly unit: string | undefined;
}

/**
 * A bound parameter. `?` is anonymous and numbered by position among the statement's anonymous
 * parameters; `?3` and `$3` are numbered; `:name`, `@name` and `$name` are named (name without
 * the prefix).
 */
export interface Parameter extends Node<'Parameter'> {
  readonly style: 'anonymous' | 'numbered' | 'named';
  readonly index: number | undefined;
  readonly name: string | undefined;
  /** The parameter as written. */
  readonly text: string;
}

/**
 * A column reference `c`, `t.c` or `s.t.c`. Bare words in SET and PRAGMA values (`on`, `WAL`)
 * are also column references; those statements read them as words.
 */
export interface ColumnRef extends Node<'ColumnRef'> {
  readonly schema: Identifier | undefined;
  readonly table: Identifier | undefined;
  readonly column: Identifier;
}

/** Prefix operators. */
export type UnaryOperator = '-' | '+' | '~' | 'NOT';

/** A prefix operation. Negative numeric literals are folded into the literal instead. */
export interface UnaryExpression extends Node<'UnaryExpression'> {
  readonly op: UnaryOperator;
  readonly operand: Expression;
}

/** Binary operators. `==` is normalized to `=`, and `!=` to `<>`. */
export type BinaryOperator =
  | 'OR' | 'AND'
  | '=' | '<>' | 'IS' | 'IS NOT' | 'IS DISTINCT FROM' | 'IS NOT DISTINCT FROM'
  | '<' | '<=' | '>' | '>='
  | '&' | '|' | '<<' | '>>'
  | '<->' | '<=>' | '<#>'
  | '+' | '-'
  | '*' | '/' | '%'
  | '||' | '->' | '->>';

/** A binary operation (including AND/OR). */
export interface BinaryExpression extends Node<'BinaryExpression'> {
  readonly op: BinaryOperator;
  readonly left: Expression;
  readonly right: Expression;
}

/** x [NOT] BETWEEN low AND high. */
export interface BetweenExpression extends Node<'BetweenExpression'> {
  readonly negated: boolean;
  readonly operand: Expression;
  readonly low: Expression;
  readonly high: Expression;
}

/** x [NOT] IN (list), x [NOT] IN (subquery), or x [NOT] IN table. */
export interface InExpression extends Node<'InExpression'> {
  readonly negated: boolean;
  readonly operand: Expression;
  /** The listed values (empty when `query` is set; `IN ()` is an empty list). */
  readonly list: readonly Expression[];
  readonly query: SelectStatement | undefined;
  /** SQLite's `x IN t`: the values of the one-column table (or view) t. */
  readonly table?: ObjectName;
}

/** Pattern operators. */
export type LikeOperator = 'LIKE' | 'ILIKE' | 'GLOB' | 'MATCH' | 'REGEXP';

/** x [NOT] LIKE|ILIKE|GLOB|MATCH|REGEXP pattern [ESCAPE e]. */
export interface LikeExpression extends Node<'LikeExpression'> {
  readonly op: LikeOperator;
  readonly negated: boolean;
  readonly operand: Expression;
  readonly pattern: Expression;
  readonly escape: Expression | undefined;
}

/** x IS [NOT] NULL, and its spellings x ISNULL, x NOTNULL, x NOT NULL. */
export interface IsNullExpression extends Node<'IsNullExpression'> {
  readonly negated: boolean;
  readonly operand: Expression;
}

/** CAST(x AS type) or x::type. */
export interface CastExpression extends Node<'CastExpression'> {
  readonly operand: Expression;
  readonly type: TypeName;
  readonly syntax: 'CAST' | '::';
}

/** x COLLATE name. */
export interface CollateExpression extends Node<'CollateExpression'> {
  readonly operand: Expression;
  readonly collation: Identifier;
}

/** A function call, aggregate or window call: f(x), count(*), count(DISTINCT x), f(x) OVER w. */
export interface FunctionCall extends Node<'FunctionCall'> {
  readonly name: ObjectName;
  readonly args: readonly Expression[];
  /** Names of `name => value` arguments, by position in args (absent: all positional). */
  readonly argNames?: readonly (Identifier | undefined)[];
  /** count(*). */
  readonly star: boolean;
  readonly distinct: boolean;
  /** string_agg(x, ',' ORDER BY y). */
  readonly orderBy: readonly OrderingTerm[];
  /** FILTER (WHERE …). */
  readonly filter: Expression | undefined;
  /** OVER (…) or OVER name. */
  readonly over: WindowSpec | Identifier | undefined;
}

/** One WHEN … THEN … arm of a CASE. */
export interface CaseWhen {
  readonly when: Expression;
  readonly then: Expression;
}

/** CASE [operand] WHEN … THEN … [ELSE …] END. */
export interface CaseExpression extends Node<'CaseExpression'> {
  readonly operand: Expression | undefined;
  readonly whens: readonly CaseWhen[];
  readonly else: Expression | undefined;
}

/** EXISTS (subquery). NOT EXISTS is a NOT around it. */
export interface ExistsExpression extends Node<'ExistsExpression'> {
  readonly query: SelectStatement;
}

/** A scalar subquery (SELECT …) used as a value. */
export interface SubqueryExpression extends Node<'SubqueryExpression'> {
  readonly query: SelectStatement;
}

/** A row value (a, b, …) with two or more items. */
export interface RowExpression extends Node<'RowExpression'> {
  readonly items: readonly Expression[];
}

/** DEFAULT as a value (in VALUES lists and SET). */
export type DefaultExpression = Node<'DefaultExpression'>;

/** Every expression. */
export type Expression =
  | IntegerLiteral
  | RealLiteral
  | StringLiteral
  | BlobLiteral
  | NullLiteral
  | BooleanLiteral
  | CurrentTimeLiteral
  | IntervalLiteral
  | Parameter
  | ColumnRef
  | UnaryExpression
  | BinaryExpression
  | BetweenExpression
  | InExpression
  | LikeExpression
  | IsNullExpression
  | CastExpression
  | CollateExpression
  | FunctionCall
  | CaseExpression
  | ExistsExpression
  | SubqueryExpression
  | RowExpression
  | DefaultExpression;

/** The kind of an expression. */
export type ExpressionKind = Expression['kind'];

// ------------------------------------------------------------------------------------------
// Queries
// ------------------------------------------------------------------------------------------

/** An ORDER BY term. */
export interface OrderingTerm extends Node<'OrderingTerm'> {
  readonly expr: Expression;
  readonly direction: 'ASC' | 'DESC' | undefined;
  readonly nulls: 'FIRST' | 'LAST' | undefined;
}

/** A window frame bound. `offset` is set for the PRECEDING and FOLLOWING forms. */
export interface FrameBound extends Node<'FrameBound'> {
  readonly type: 'UNBOUNDED PRECEDING' | 'PRECEDING' | 'CURRENT ROW' | 'FOLLOWING' | 'UNBOUNDED FOLLOWING';
  readonly offset: Expression | undefined;
}

/** ROWS|RANGE|GROUPS start, or BETWEEN start AND end. */
export interface WindowFrame extends Node<'WindowFrame'> {
  readonly units: 'ROWS' | 'RANGE' | 'GROUPS';
  readonly start: FrameBound;
  readonly end: FrameBound | undefined;
}

/** The inside of OVER (…) or of WINDOW w AS (…). */
export interface WindowSpec extends Node<'WindowSpec'> {
  readonly base: Identifier | undefined;
  readonly partitionBy: readonly Expression[];
  readonly orderBy: readonly OrderingTerm[];
  readonly frame: WindowFrame | undefined;
}

/** WINDOW name AS (spec). */
export interface NamedWindow extends Node<'NamedWindow'> {
  readonly name: Identifier;
  readonly spec: WindowSpec;
}

/** One `name [(columns)] AS [[NOT] MATERIALIZED] (query)` of a WITH clause. */
export interface CommonTableExpression extends Node<'CommonTableExpression'> {
  readonly name: Identifier;
  readonly columns: readonly Identifier[];
  readonly materialized: boolean | undefined;
  readonly query: SelectStatement;
}

/** WITH [RECURSIVE] cte, …. */
export interface WithClause extends Node<'WithClause'> {
  readonly recursive: boolean;
  readonly ctes: readonly CommonTableExpression[];
}

/** An expression in a select list or RETURNING clause. */
export interface SelectColumn extends Node<'SelectColumn'> {
  readonly expr: Expression;
  readonly alias: Identifier | undefined;
}

/** `*`, `t.*` or `s.t.*`. */
export interface SelectStar extends Node<'SelectStar'> {
  readonly qualifier: readonly Identifier[];
}

/** An item of a select list. */
export type SelectItem = SelectColumn | SelectStar;

/** A table (or view, or CTE) in FROM. */
export interface TableRef extends Node<'TableRef'> {
  readonly name: ObjectName;
  readonly alias: Identifier | undefined;
  readonly columnAliases: readonly Identifier[];
  /** SQLite's INDEXED BY index. */
  readonly indexedBy?: Identifier;
  /** SQLite's NOT INDEXED. */
  readonly notIndexed?: boolean;
}

/** A subquery in FROM. */
export interface SubqueryRef extends Node<'SubqueryRef'> {
  readonly query: SelectStatement;
  /** LATERAL: may refer to the FROM items to its left (run once per row of them). */
  readonly lateral?: boolean;
  readonly alias: Identifier | undefined;
  readonly columnAliases: readonly Identifier[];
}

/** A table-valued function in FROM: generate_series(1, 10) AS g. */
export interface TableFunctionRef extends Node<'TableFunctionRef'> {
  readonly call: FunctionCall;
  /** LATERAL (implied for functions in Postgres; explicit here): arguments may use columns to the left. */
  readonly lateral?: boolean;
  readonly alias: Identifier | undefined;
  readonly columnAliases: readonly Identifier[];
}

/** Join types. Comma-separated FROM items are CROSS joins. */
export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS';

/** A join of two FROM items. */
export interface JoinClause extends Node<'JoinClause'> {
  readonly joinType: JoinType;
  readonly natural: boolean;
  readonly left: FromItem;
  readonly right: FromItem;
  readonly on: Expression | undefined;
  readonly using: readonly Identifier[];
}

/** An item of FROM. */
export type FromItem = TableRef | SubqueryRef | TableFunctionRef | JoinClause;

/** SELECT … FROM … WHERE … GROUP BY … HAVING … WINDOW …, without ORDER BY and LIMIT. */
export interface SelectCore extends Node<'SelectCore'> {
  readonly distinct: boolean;
  readonly columns: readonly SelectItem[];
  readonly from: FromItem | undefined;
  readonly where: Expression | undefined;
  readonly groupBy: readonly Expression[];
  readonly having: Expression | undefined;
  readonly windows: readonly NamedWindow[];
}

/** Compound query operators; `UNION DISTINCT` is `UNION`. */
export type CompoundOperator = 'UNION' | 'UNION ALL' | 'INTERSECT' | 'INTERSECT ALL' | 'EXCEPT' | 'EXCEPT ALL';

/** left UNION|INTERSECT|EXCEPT right, left-associative. */
export interface CompoundSelect extends Node<'CompoundSelect'> {
  readonly op: CompoundOperator;
  readonly left: QueryBody;
  readonly right: QueryBody;
}

/** VALUES (…), (…). */
export interface ValuesClause extends Node<'ValuesClause'> {
  readonly rows: readonly (readonly Expression[])[];
}

/** The body of a query; a parenthesized query with its own ORDER BY/LIMIT is a SelectStatement. */
export type QueryBody = SelectCore | CompoundSelect | ValuesClause | SelectStatement;

/** A query: statement, subquery, CTE body, INSERT source. */
export interface SelectStatement extends Node<'SelectStatement'> {
  readonly with: WithClause | undefined;
  readonly body: QueryBody;
  readonly orderBy: readonly OrderingTerm[];
  readonly limit: Expression | undefined;
  readonly offset: Expression | undefined;
}

// ------------------------------------------------------------------------------------------
// Data-changing statements
// ------------------------------------------------------------------------------------------

/** SQLite's conflict resolution (INSERT OR …, UPDATE OR …, ON CONFLICT … on constraints). */
export type ConflictResolution = 'ROLLBACK' | 'ABORT' | 'FAIL' | 'IGNORE' | 'REPLACE';

/** `column = value` or `(a, b) = (…)`. */
export interface Assignment extends Node<'Assignment'> {
  readonly columns: readonly Identifier[];
  readonly value: Expression;
}

/** An index column or key column: expression, operator class, order, NULLS placement. */
export interface IndexedColumn extends Node<'IndexedColumn'> {
  readonly expr: Expression;
  readonly opclass: Identifier | undefined;
  readonly direction: 'ASC' | 'DESC' | undefined;
  readonly nulls: 'FIRST' | 'LAST' | undefined;
}

/**
 * ON CONFLICT [target] DO NOTHING | DO UPDATE SET … [WHERE …], or MySQL's
 * ON DUPLICATE KEY UPDATE … (syntax 'ON DUPLICATE KEY', no target, action UPDATE).
 */
export interface UpsertClause extends Node<'UpsertClause'> {
  readonly syntax: 'ON CONFLICT' | 'ON DUPLICATE KEY';
  readonly targetColumns: readonly IndexedColumn[];
  readonly targetWhere: Expression | undefined;
  readonly targetConstraint: Identifier | undefined;
  readonly action: 'NOTHING' | 'UPDATE';
  readonly assignments: readonly Assignment[];
  readonly where: Expression | undefined;
}

/** INSERT … DEFAULT VALUES. */
export type DefaultValues = Node<'DefaultValues'>;

/** INSERT / REPLACE / INSERT OR … / INSERT IGNORE. REPLACE INTO is conflict REPLACE. */
export interface InsertStatement extends Node<'InsertStatement'> {
  readonly with: WithClause | undefined;
  readonly conflict: ConflictResolution | undefined;
  readonly table: ObjectName;
  readonly alias: Identifier | undefined;
  readonly columns: readonly Identifier[];
  readonly source: SelectStatement | DefaultValues;
  readonly upsert: readonly UpsertClause[];
  readonly returning: readonly SelectItem[];
}

/** UPDATE [OR …] t [AS a] SET … [FROM …] [WHERE …] [RETURNING …]. */
export interface UpdateStatement extends Node<'UpdateStatement'> {
  readonly with: WithClause | undefined;
  readonly conflict: ConflictResolution | undefined;
  readonly table: ObjectName;
  readonly alias: Identifier | undefined;
  readonly assignments: readonly Assignment[];
  readonly from: FromItem | undefined;
  readonly where: Expression | undefined;
  readonly returning: readonly SelectItem[];
}

/** DELETE FROM t [AS a] [WHERE …] [RETURNING …]. */
export interface DeleteStatement extends Node<'DeleteStatement'> {
  readonly with: WithClause | undefined;
  readonly table: ObjectName;
  readonly alias: Identifier | undefined;
  readonly where: Expression | undefined;
  readonly returning: readonly SelectItem[];
}

// ------------------------------------------------------------------------------------------
// Schema statements
// ------------------------------------------------------------------------------------------

/** What a foreign key does when the referenced row changes. */
export type ReferentialAction = 'NO ACTION' | 'RESTRICT' | 'CASCADE' | 'SET NULL' | 'SET DEFAULT';

/** REFERENCES t [(cols)] [ON DELETE …] [ON UPDATE …] [MATCH …] [[NOT] DEFERRABLE …]. */
export interface ForeignKeyClause extends Node<'ForeignKeyClause'> {
  readonly table: ObjectName;
  readonly columns: readonly Identifier[];
  readonly onDelete: ReferentialAction | undefined;
  readonly onUpdate: ReferentialAction | undefined;
  readonly match: string | undefined;
  readonly deferrable: boolean | undefined;
  readonly initiallyDeferred: boolean | undefined;
}

/** Fields shared by constraints: the optional CONSTRAINT name. */
interface Named {
  readonly name: Identifier | undefined;
}

/** Column PRIMARY KEY [ASC|DESC] [ON CONFLICT …] [AUTOINCREMENT]. */
export interface PrimaryKeyConstraint extends Node<'PrimaryKeyConstraint'>, Named {
  readonly direction: 'ASC' | 'DESC' | undefined;
  readonly onConflict: ConflictResolution | undefined;
  readonly autoincrement: boolean;
}

/** NOT NULL [ON CONFLICT …]. */
export interface NotNullConstraint extends Node<'NotNullConstraint'>, Named {
  readonly onConflict: ConflictResolution | undefined;
}

/** NULL (explicitly nullable). */
export type NullConstraint = Node<'NullConstraint'> & Named;

/** Column UNIQUE [ON CONFLICT …]. */
export interface UniqueConstraint extends Node<'UniqueConstraint'>, Named {
  readonly onConflict: ConflictResolution | undefined;
}

/** CHECK (expr), on a column or a table. */
export interface CheckConstraint extends Node<'CheckConstraint'>, Named {
  readonly expr: Expression;
}

/** DEFAULT value. */
export interface DefaultConstraint extends Node<'DefaultConstraint'>, Named {
  readonly value: Expression;
}

/** COLLATE name on a column. */
export interface CollateConstraint extends Node<'CollateConstraint'>, Named {
  readonly collation: Identifier;
}

/** REFERENCES … on a column. */
export interface ReferencesConstraint extends Node<'ReferencesConstraint'>, Named {
  readonly foreignKey: ForeignKeyClause;
}

/**
 * GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY (identity), or [GENERATED ALWAYS] AS (expr)
 * [STORED | VIRTUAL] (a computed column).
 */
export interface GeneratedConstraint extends Node<'GeneratedConstraint'>, Named {
  readonly always: boolean;
  readonly identity: boolean;
  readonly expr: Expression | undefined;
  readonly storage: 'STORED' | 'VIRTUAL' | undefined;
}

/** A constraint written on a column. */
export type ColumnConstraint =
  | PrimaryKeyConstraint
  | NotNullConstraint
  | NullConstraint
  | UniqueConstraint
  | CheckConstraint
  | DefaultConstraint
  | CollateConstraint
  | ReferencesConstraint
  | GeneratedConstraint;

/** A column of CREATE TABLE or ALTER TABLE … ADD COLUMN. The type is optional (SQLite). */
export interface ColumnDefinition extends Node<'ColumnDefinition'> {
  readonly name: Identifier;
  readonly type: TypeName | undefined;
  readonly constraints: readonly ColumnConstraint[];
}

/** Table PRIMARY KEY (cols) [ON CONFLICT …]. */
export interface PrimaryKeyTableConstraint extends Node<'PrimaryKeyTableConstraint'>, Named {
  readonly columns: readonly IndexedColumn[];
  readonly onConflict: ConflictResolution | undefined;
}

/** Table UNIQUE (cols) [ON CONFLICT …]. */
export interface UniqueTableConstraint extends Node<'UniqueTableConstraint'>, Named {
  readonly columns: readonly IndexedColumn[];
  readonly onConflict: ConflictResolution | undefined;
}

/** FOREIGN KEY (cols) REFERENCES …. */
export interface ForeignKeyTableConstraint extends Node<'ForeignKeyTableConstraint'>, Named {
  readonly columns: readonly Identifier[];
  readonly foreignKey: ForeignKeyClause;
}

/** A constraint written as a table element. */
export type TableConstraint = PrimaryKeyTableConstraint | UniqueTableConstraint | CheckConstraint | ForeignKeyTableConstraint;

/** CREATE [TEMP] TABLE [IF NOT EXISTS] name (…) [WITHOUT ROWID] [STRICT], or … AS query. */
export interface CreateTableStatement extends Node<'CreateTableStatement'> {
  readonly temporary: boolean;
  readonly ifNotExists: boolean;
  readonly name: ObjectName;
  readonly columns: readonly ColumnDefinition[];
  readonly constraints: readonly TableConstraint[];
  readonly withoutRowid: boolean;
  readonly strict: boolean;
  readonly asQuery: SelectStatement | undefined;
}

/** CASCADE or RESTRICT on DROP. */
export type DropBehavior = 'CASCADE' | 'RESTRICT';

/** DROP TABLE [IF EXISTS] a, b [CASCADE|RESTRICT]. */
export interface DropTableStatement extends Node<'DropTableStatement'> {
  readonly ifExists: boolean;
  readonly names: readonly ObjectName[];
  readonly behavior: DropBehavior | undefined;
}

/** ALTER TABLE … ADD [COLUMN] [IF NOT EXISTS] def. */
export interface AddColumnAction extends Node<'AddColumnAction'> {
  readonly ifNotExists: boolean;
  readonly column: ColumnDefinition;
}

/** ALTER TABLE … ADD [CONSTRAINT name] constraint. */
export interface AddConstraintAction extends Node<'AddConstraintAction'> {
  readonly constraint: TableConstraint;
}

/** ALTER TABLE … RENAME TO name. */
export interface RenameTableAction extends Node<'RenameTableAction'> {
  readonly newName: Identifier;
}

/** ALTER TABLE … RENAME [COLUMN] a TO b. */
export interface RenameColumnAction extends Node<'RenameColumnAction'> {
  readonly column: Identifier;
  readonly newName: Identifier;
}

/** ALTER TABLE … DROP [COLUMN] [IF EXISTS] c [CASCADE|RESTRICT]. */
export interface DropColumnAction extends Node<'DropColumnAction'> {
  readonly ifExists: boolean;
  readonly column: Identifier;
  readonly behavior: DropBehavior | undefined;
}

/** ALTER TABLE … DROP CONSTRAINT [IF EXISTS] name [CASCADE|RESTRICT]. */
export interface DropConstraintAction extends Node<'DropConstraintAction'> {
  readonly ifExists: boolean;
  readonly constraint: Identifier;
  readonly behavior: DropBehavior | undefined;
}

/** One action of ALTER TABLE. */
export type AlterTableAction =
  | AddColumnAction
  | AddConstraintAction
  | RenameTableAction
  | RenameColumnAction
  | DropColumnAction
  | DropConstraintAction;

/** ALTER TABLE [IF EXISTS] t action, …. */
export interface AlterTableStatement extends Node<'AlterTableStatement'> {
  readonly ifExists: boolean;
  readonly table: ObjectName;
  readonly actions: readonly AlterTableAction[];
}

/** A `name [= value]` storage option of CREATE INDEX … WITH (…). */
export interface IndexOption extends Node<'IndexOption'> {
  readonly name: Identifier;
  readonly value: Expression | undefined;
}

/** CREATE [UNIQUE] INDEX [IF NOT EXISTS] [name] ON t [USING method] (cols) [WITH (…)] [WHERE …]. */
export interface CreateIndexStatement extends Node<'CreateIndexStatement'> {
  readonly unique: boolean;
  readonly ifNotExists: boolean;
  readonly name: ObjectName | undefined;
  readonly table: ObjectName;
  readonly method: Identifier | undefined;
  readonly columns: readonly IndexedColumn[];
  readonly options: readonly IndexOption[];
  readonly where: Expression | undefined;
}

/** DROP INDEX [IF EXISTS] a, b [CASCADE|RESTRICT]. */
export interface DropIndexStatement extends Node<'DropIndexStatement'> {
  readonly ifExists: boolean;
  readonly names: readonly ObjectName[];
  readonly behavior: DropBehavior | undefined;
}

/** CREATE [OR REPLACE] [TEMP] VIEW [IF NOT EXISTS] v [(cols)] AS query. */
export interface CreateViewStatement extends Node<'CreateViewStatement'> {
  readonly orReplace: boolean;
  readonly temporary: boolean;
  readonly ifNotExists: boolean;
  readonly name: ObjectName;
  readonly columns: readonly Identifier[];
  readonly query: SelectStatement;
}

/** DROP VIEW [IF EXISTS] a, b [CASCADE|RESTRICT]. */
export interface DropViewStatement extends Node<'DropViewStatement'> {
  readonly ifExists: boolean;
  readonly names: readonly ObjectName[];
  readonly behavior: DropBehavior | undefined;
}

/** CREATE {NAMESPACE|SCHEMA} [IF NOT EXISTS] name [WITH (display_name = …, labels = …)]. */
export interface CreateNamespaceStatement extends Node<'CreateNamespaceStatement'> {
  readonly ifNotExists: boolean;
  readonly name: Identifier;
  readonly options: readonly IndexOption[];
}

/** ALTER {NAMESPACE|SCHEMA} name SET (options). */
export interface AlterNamespaceStatement extends Node<'AlterNamespaceStatement'> {
  readonly name: Identifier;
  readonly options: readonly IndexOption[];
}

/** DROP {NAMESPACE|SCHEMA} [IF EXISTS] name [CASCADE|RESTRICT]. */
export interface DropNamespaceStatement extends Node<'DropNamespaceStatement'> {
  readonly ifExists: boolean;
  readonly name: Identifier;
  readonly behavior: DropBehavior | undefined;
}

/** CREATE COLLECTION [IF NOT EXISTS] name [WITH] (dimension = n, metric = …, …). */
export interface CreateCollectionStatement extends Node<'CreateCollectionStatement'> {
  readonly ifNotExists: boolean;
  readonly name: ObjectName;
  readonly options: readonly IndexOption[];
}

/** ALTER COLLECTION name SET (ef_search = n). */
export interface AlterCollectionStatement extends Node<'AlterCollectionStatement'> {
  readonly name: ObjectName;
  readonly options: readonly IndexOption[];
}

/** DROP COLLECTION [IF EXISTS] a, b. */
export interface DropCollectionStatement extends Node<'DropCollectionStatement'> {
  readonly ifExists: boolean;
  readonly names: readonly ObjectName[];
}

/** PUT [PATH] k = v, … [IN NAMESPACE ns] [WITH (ttl_seconds = n | ttl_ms = n | expires_at = t)]. */
export interface KvPutStatement extends Node<'KvPutStatement'> {
  readonly path: boolean;
  readonly pairs: readonly { readonly key: Expression; readonly value: Expression }[];
  readonly namespace: Identifier | undefined;
  readonly options: readonly IndexOption[];
}

/** GET [PATH] k, … or EXISTS k, … [IN NAMESPACE ns]. */
export interface KvGetStatement extends Node<'KvGetStatement'> {
  readonly mode: 'get' | 'exists';
  readonly path: boolean;
  readonly keys: readonly Expression[];
  readonly namespace: Identifier | undefined;
}

/** DELETE [PATH] k, … | DELETE PREFIX p [IN NAMESPACE ns]. */
export interface KvDeleteStatement extends Node<'KvDeleteStatement'> {
  readonly path: boolean;
  readonly keys: readonly Expression[];
  readonly prefix: Expression | undefined;
  readonly namespace: Identifier | undefined;
}

/** SCAN (PREFIX p | FROM a TO b | ALL) [AFTER k] [REVERSE] [LIMIT n] [IN NAMESPACE ns]. */
export interface KvScanStatement extends Node<'KvScanStatement'> {
  readonly prefix: Expression | undefined;
  readonly from: Expression | undefined;
  readonly to: Expression | undefined;
  readonly after: Expression | undefined;
  readonly reverse: boolean;
  readonly limit: Expression | undefined;
  readonly namespace: Identifier | undefined;
}

/** LIST PATH p [IN NAMESPACE ns]. */
export interface KvListStatement extends Node<'KvListStatement'> {
  readonly path: Expression;
  readonly namespace: Identifier | undefined;
}

// ------------------------------------------------------------------------------------------
// Transaction and utility statements
// ------------------------------------------------------------------------------------------

/** Isolation levels a transaction may ask for. */
export type IsolationLevel = 'SERIALIZABLE' | 'SNAPSHOT' | 'REPEATABLE READ' | 'READ COMMITTED' | 'READ UNCOMMITTED';

/** BEGIN [DEFERRED|IMMEDIATE|EXCLUSIVE] [TRANSACTION|WORK] [modes], START TRANSACTION [modes]. */
export interface BeginStatement extends Node<'BeginStatement'> {
  readonly mode: 'DEFERRED' | 'IMMEDIATE' | 'EXCLUSIVE' | undefined;
  readonly isolation: IsolationLevel | undefined;
  /** READ ONLY (true) or READ WRITE (false). */
  readonly readOnly: boolean | undefined;
}

/** COMMIT or END [TRANSACTION|WORK]. */
export type CommitStatement = Node<'CommitStatement'>;

/** ROLLBACK [TRANSACTION|WORK] [TO [SAVEPOINT] name]. */
export interface RollbackStatement extends Node<'RollbackStatement'> {
  readonly savepoint: Identifier | undefined;
}

/** SAVEPOINT name. */
export interface SavepointStatement extends Node<'SavepointStatement'> {
  readonly name: Identifier;
}

/** RELEASE [SAVEPOINT] name. */
export interface ReleaseStatement extends Node<'ReleaseStatement'> {
  readonly name: Identifier;
}

/** EXPLAIN [QUERY PLAN] [ANALYZE] statement. */
export interface ExplainStatement extends Node<'ExplainStatement'> {
  readonly analyze: boolean;
  readonly queryPlan: boolean;
  readonly statement: Statement;
}

/** ANALYZE [name]. */
export interface AnalyzeStatement extends Node<'AnalyzeStatement'> {
  readonly target: ObjectName | undefined;
}

/** SET [SESSION|LOCAL] name {=|TO} value, … (a generic setting; values are expressions). */
export interface SetStatement extends Node<'SetStatement'> {
  readonly scope: 'SESSION' | 'LOCAL' | undefined;
  /** The dotted name parts. */
  readonly name: readonly Identifier[];
  readonly values: readonly Expression[];
}

/** PRAGMA [schema.]name [= value | (value)]. */
export interface PragmaStatement extends Node<'PragmaStatement'> {
  readonly name: ObjectName;
  readonly value: Expression | undefined;
}

/** VACUUM [schema] [INTO 'file']. */
export interface VacuumStatement extends Node<'VacuumStatement'> {
  readonly schema: Identifier | undefined;
  readonly into: string | undefined;
}

/** REINDEX [name]: a table's, an index's, or every index rebuilt from the rows. */
export interface ReindexStatement extends Node<'ReindexStatement'> {
  readonly target: ObjectName | undefined;
}

/** Every statement. */
export type Statement =
  | SelectStatement
  | InsertStatement
  | UpdateStatement
  | DeleteStatement
  | CreateTableStatement
  | DropTableStatement
  | AlterTableStatement
  | CreateIndexStatement
  | DropIndexStatement
  | CreateViewStatement
  | DropViewStatement
  | CreateNamespaceStatement
  | AlterNamespaceStatement
  | DropNamespaceStatement
  | CreateCollectionStatement
  | AlterCollectionStatement
  | DropCollectionStatement
  | KvPutStatement
  | KvGetStatement
  | KvDeleteStatement
  | KvScanStatement
  | KvListStatement
  | BeginStatement
  | CommitStatement
  | RollbackStatement
  | SavepointStatement
  | ReleaseStatement
  | ExplainStatement
  | AnalyzeStatement
  | SetStatement
  | PragmaStatement
  | VacuumStatement
  | ReindexStatement;

/** The kind of a statement. */
export type StatementKind = Statement['kind'];

/** Every node of the tree. */
export type AstNode =
  | Statement
  | Expression
  | Identifier
  | ObjectName
  | TypeName
  | OrderingTerm
  | FrameBound
  | WindowFrame
  | WindowSpec
  | NamedWindow
  | CommonTableExpression
  | WithClause
  | SelectItem
  | FromItem
  | SelectCore
  | CompoundSelect
  | ValuesClause
  | Assignment
  | IndexedColumn
  | UpsertClause
  | DefaultValues
  | ForeignKeyClause
  | ColumnConstraint
  | ColumnDefinition
  | TableConstraint
  | AlterTableAction
  | IndexOption
  | ReindexStatement;

/** The kind of any node. */
export type AstKind = AstNode['kind'];

/** For the `default` branch of an exhaustive switch: fails to compile when a kind is missed. */
export function assertNever(value: never): never {
  throw new Error(`unexpected AST node: ${JSON.stringify((value as { kind?: unknown })?.kind ?? value)}`);
}

// ------------------------------------------------------------------------------------------
// Factories, one per kind, named like the node type (as in Kysely).
// ------------------------------------------------------------------------------------------

/** The fields of a node apart from its kind. */
export type NodeProps<N extends AstNode> = Omit<N, 'kind'>;

/** The factory of one node kind. */
export interface NodeFactory<N extends AstNode> {
  readonly kind: N['kind'];
  /** Whether `node` is of this kind. */
  is(node: AstNode | undefined): node is N;
  /** A new node of this kind. */
  create(props: NodeProps<N>): N;
  /** A copy of `node` with some fields replaced; nodes are never changed in place. */
  cloneWith(node: N, changes: Partial<NodeProps<N>>): N;
}

// Nodes are plain objects, not frozen: freezing costs time on every parse, and `readonly`
// already stops mutation at compile time. The factories themselves are frozen.
function factory<N extends AstNode>(kind: N['kind']): NodeFactory<N> {
  return Object.freeze({
    kind,
    is: (node: AstNode | undefined): node is N => node?.kind === kind,
    create: (props: NodeProps<N>): N => ({ kind, ...props }) as N,
    cloneWith: (node: N, changes: Partial<NodeProps<N>>): N => ({ ...node, ...changes }),
  });
}

export const Identifier = factory<Identifier>('Identifier');
export const ObjectName = factory<ObjectName>('ObjectName');
export const TypeName = factory<TypeName>('TypeName');
export const IntegerLiteral = factory<IntegerLiteral>('IntegerLiteral');
export const RealLiteral = factory<RealLiteral>('RealLiteral');
export const StringLiteral = factory<StringLiteral>('StringLiteral');
export const BlobLiteral = factory<BlobLiteral>('BlobLiteral');
export const NullLiteral = factory<NullLiteral>('NullLiteral');
export const BooleanLiteral = factory<BooleanLiteral>('BooleanLiteral');
export const CurrentTimeLiteral = factory<CurrentTimeLiteral>('CurrentTimeLiteral');
export const IntervalLiteral = factory<IntervalLiteral>('IntervalLiteral');
export const Parameter = factory<Parameter>('Parameter');
export const ColumnRef = factory<ColumnRef>('ColumnRef');
export const UnaryExpression = factory<UnaryExpression>('UnaryExpression');
export const BinaryExpression = factory<BinaryExpression>('BinaryExpression');
export const BetweenExpression = factory<BetweenExpression>('BetweenExpression');
export const InExpression = factory<InExpression>('InExpression');
export const LikeExpression = factory<LikeExpression>('LikeExpression');
export const IsNullExpression = factory<IsNullExpression>('IsNullExpression');
export const CastExpression = factory<CastExpression>('CastExpression');
export const CollateExpression = factory<CollateExpression>('CollateExpression');
export const FunctionCall = factory<FunctionCall>('FunctionCall');
export const CaseExpression = factory<CaseExpression>('CaseExpression');
export const ExistsExpression = factory<ExistsExpression>('ExistsExpression');
export const SubqueryExpression = factory<SubqueryExpression>('SubqueryExpression');
export const RowExpression = factory<RowExpression>('RowExpression');
export const DefaultExpression = factory<DefaultExpression>('DefaultExpression');
export const OrderingTerm = factory<OrderingTerm>('OrderingTerm');
export const FrameBound = factory<FrameBound>('FrameBound');
export const WindowFrame = factory<WindowFrame>('WindowFrame');
export const WindowSpec = factory<WindowSpec>('WindowSpec');
export const NamedWindow = factory<NamedWindow>('NamedWindow');
export const CommonTableExpression = factory<CommonTableExpression>('CommonTableExpression');
export const WithClause = factory<WithClause>('WithClause');
export const SelectColumn = factory<SelectColumn>('SelectColumn');
export const SelectStar = factory<SelectStar>('SelectStar');
export const TableRef = factory<TableRef>('TableRef');
export const SubqueryRef = factory<SubqueryRef>('SubqueryRef');
export const TableFunctionRef = factory<TableFunctionRef>('TableFunctionRef');
export const JoinClause = factory<JoinClause>('JoinClause');
export const SelectCore = factory<SelectCore>('SelectCore');
export const CompoundSelect = factory<CompoundSelect>('CompoundSelect');
export const ValuesClause = factory<ValuesClause>('ValuesClause');
export const SelectStatement = factory<SelectStatement>('SelectStatement');
export const Assignment = factory<Assignment>('Assignment');
export const IndexedColumn = factory<IndexedColumn>('IndexedColumn');
export const UpsertClause = factory<UpsertClause>('UpsertClause');
export const DefaultValues = factory<DefaultValues>('DefaultValues');
export const InsertStatement = factory<InsertStatement>('InsertStatement');
export const UpdateStatement = factory<UpdateStatement>('UpdateStatement');
export const DeleteStatement = factory<DeleteStatement>('DeleteStatement');
export const ForeignKeyClause = factory<ForeignKeyClause>('ForeignKeyClause');
export const PrimaryKeyConstraint = factory<PrimaryKeyConstraint>('PrimaryKeyConstraint');
export const NotNullConstraint = factory<NotNullConstraint>('NotNullConstraint');
export const NullConstraint = factory<NullConstraint>('NullConstraint');
export const UniqueConstraint = factory<UniqueConstraint>('UniqueConstraint');
export const CheckConstraint = factory<CheckConstraint>('CheckConstraint');
export const DefaultConstraint = factory<DefaultConstraint>('DefaultConstraint');
export const CollateConstraint = factory<CollateConstraint>('CollateConstraint');
export const ReferencesConstraint = factory<ReferencesConstraint>('ReferencesConstraint');
export const GeneratedConstraint = factory<GeneratedConstraint>('GeneratedConstraint');
export const ColumnDefinition = factory<ColumnDefinition>('ColumnDefinition');
export const PrimaryKeyTableConstraint = factory<PrimaryKeyTableConstraint>('PrimaryKeyTableConstraint');
export const UniqueTableConstraint = factory<UniqueTableConstraint>('UniqueTableConstraint');
export const ForeignKeyTableConstraint = factory<ForeignKeyTableConstraint>('ForeignKeyTableConstraint');
export const CreateTableStatement = factory<CreateTableStatement>('CreateTableStatement');
export const DropTableStatement = factory<DropTableStatement>('DropTableStatement');
export const AddColumnAction = factory<AddColumnAction>('AddColumnAction');
export const AddConstraintAction = factory<AddConstraintAction>('AddConstraintAction');
export const RenameTableAction = factory<RenameTableAction>('RenameTableAction');
export const RenameColumnAction = factory<RenameColumnAction>('RenameColumnAction');
export const DropColumnAction = factory<DropColumnAction>('DropColumnAction');
export const DropConstraintAction = factory<DropConstraintAction>('DropConstraintAction');
export const AlterTableStatement = factory<AlterTableStatement>('AlterTableStatement');
export const IndexOption = factory<IndexOption>('IndexOption');
export const CreateIndexStatement = factory<CreateIndexStatement>('CreateIndexStatement');
export const DropIndexStatement = factory<DropIndexStatement>('DropIndexStatement');
export const CreateViewStatement = factory<CreateViewStatement>('CreateViewStatement');
export const DropViewStatement = factory<DropViewStatement>('DropViewStatement');
export const CreateNamespaceStatement = factory<CreateNamespaceStatement>('CreateNamespaceStatement');
export const AlterNamespaceStatement = factory<AlterNamespaceStatement>('AlterNamespaceStatement');
export const DropNamespaceStatement = factory<DropNamespaceStatement>('DropNamespaceStatement');
export const CreateCollectionStatement = factory<CreateCollectionStatement>('CreateCollectionStatement');
export const AlterCollectionStatement = factory<AlterCollectionStatement>('AlterCollectionStatement');
export const DropCollectionStatement = factory<DropCollectionStatement>('DropCollectionStatement');
export const KvPutStatement = factory<KvPutStatement>('KvPutStatement');
export const KvGetStatement = factory<KvGetStatement>('KvGetStatement');
export const KvDeleteStatement = factory<KvDeleteStatement>('KvDeleteStatement');
export const KvScanStatement = factory<KvScanStatement>('KvScanStatement');
export const KvListStatement = factory<KvListStatement>('KvListStatement');
export const BeginStatement = factory<BeginStatement>('BeginStatement');
export const CommitStatement = factory<CommitStatement>('CommitStatement');
export const RollbackStatement = factory<RollbackStatement>('RollbackStatement');
export const SavepointStatement = factory<SavepointStatement>('SavepointStatement');
export const ReleaseStatement = factory<ReleaseStatement>('ReleaseStatement');
export const ExplainStatement = factory<ExplainStatement>('ExplainStatement');
export const AnalyzeStatement = factory<AnalyzeStatement>('AnalyzeStatement');
export const SetStatement = factory<SetStatement>('SetStatement');
export const PragmaStatement = factory<PragmaStatement>('PragmaStatement');
export const VacuumStatement = factory<VacuumStatement>('VacuumStatement');
export const ReindexStatement = factory<ReindexStatement>('ReindexStatement');

// The Chinook query set: ~45 queries over the SQLite schema, each with a total ORDER BY.

/** One query of the set: a stable name, the SQL features it exercises, and the SQL. */
export interface ChinookQuery {
  readonly name: string;
  readonly features: readonly string[];
  readonly sql: string;
}

const q = (name: string, features: string[], sql: string): ChinookQuery => ({ name, features, sql: sql.trim() });

/**
 * The queries compared between the engine under test and SQLite. Every ORDER BY ends in
 * a unique key, so the order is fully determined (checked in chinook.test.ts).
 */
export const CHINOOK_QUERIES: readonly ChinookQuery[] = [
  q('join2 album-artist', ['join'], `
    SELECT al.AlbumId, al.Title, ar.Name AS Artist
    FROM Album al JOIN Artist ar ON ar.ArtistId = al.ArtistId
    ORDER BY al.AlbumId LIMIT 25`),
  q('join3 track-album-artist', ['join'], `
    SELECT t.TrackId, t.Name, al.Title AS Album, ar.Name AS Artist
    FROM Track t JOIN Album al ON al.AlbumId = t.AlbumId JOIN Artist ar ON ar.ArtistId = al.ArtistId
    WHERE t.GenreId = 2 ORDER BY t.TrackId LIMIT 30`),
  q('join4 revenue per artist', ['join', 'group by', 'limit'], `
    SELECT ar.ArtistId, ar.Name, SUM(il.UnitPrice * il.Quantity) AS Revenue, COUNT(*) AS Lines
    FROM InvoiceLine il JOIN Track t ON t.TrackId = il.TrackId
      JOIN Album al ON al.AlbumId = t.AlbumId JOIN Artist ar ON ar.ArtistId = al.ArtistId
    GROUP BY ar.ArtistId, ar.Name ORDER BY Revenue DESC, ar.ArtistId LIMIT 10`),
  q('join5 genre per country having', ['join', 'group by', 'having'], `
    SELECT c.Country, g.Name AS Genre, COUNT(*) AS Lines, SUM(il.Quantity) AS Qty
    FROM Customer c JOIN Invoice i ON i.CustomerId = c.CustomerId
      JOIN InvoiceLine il ON il.InvoiceId = i.InvoiceId
      JOIN Track t ON t.TrackId = il.TrackId JOIN Genre g ON g.GenreId = t.GenreId
    GROUP BY c.Country, g.GenreId, g.Name HAVING COUNT(*) >= 20
    ORDER BY c.Country, Lines DESC, g.GenreId`),
  q('self-join employee manager', ['self join', 'left join', 'null'], `
    SELECT e.EmployeeId, e.FirstName || ' ' || e.LastName AS Employee, m.FirstName || ' ' || m.LastName AS Manager
    FROM Employee e LEFT JOIN Employee m ON m.EmployeeId = e.ReportsTo
    ORDER BY e.EmployeeId`),
  q('left join artists without albums', ['left join', 'is null'], `
    SELECT ar.ArtistId, ar.Name, al.AlbumId
    FROM Artist ar LEFT JOIN Album al ON al.ArtistId = ar.ArtistId
    WHERE al.AlbumId IS NULL ORDER BY ar.ArtistId LIMIT 40`),
  q('left join album counts with zeros', ['left join', 'group by', 'limit offset'], `
    SELECT ar.ArtistId, ar.Name, COUNT(al.AlbumId) AS Albums
    FROM Artist ar LEFT JOIN Album al ON al.ArtistId = ar.ArtistId
    GROUP BY ar.ArtistId, ar.Name ORDER BY Albums DESC, ar.ArtistId LIMIT 15 OFFSET 5`),
  q('left join customer rep and nulls', ['left join', 'null', 'coalesce'], `
    SELECT c.CustomerId, c.Company, c.State, COALESCE(c.Company, '(private)') AS Who, r.LastName AS Rep
    FROM Customer c LEFT JOIN Employee r ON r.EmployeeId = c.SupportRepId
    ORDER BY c.CustomerId LIMIT 20`),
  q('group by having genres', ['group by', 'having', 'avg'], `
    SELECT g.GenreId, g.Name, COUNT(*) AS Tracks, AVG(t.Milliseconds) / 1000.0 AS AvgSeconds, MAX(t.Bytes) AS MaxBytes
    FROM Track t JOIN Genre g ON g.GenreId = t.GenreId
    GROUP BY g.GenreId, g.Name HAVING COUNT(*) > 100 ORDER BY Tracks DESC, g.GenreId`),
  q('aggregates by media type', ['group by', 'min max sum total round'], `
    SELECT MediaTypeId, MIN(UnitPrice) AS MinPrice, MAX(UnitPrice) AS MaxPrice, SUM(UnitPrice) AS SumPrice,
      TOTAL(Bytes) AS TotalBytes, ROUND(AVG(Milliseconds), 2) AS AvgMs, COUNT(Composer) AS WithComposer
    FROM Track GROUP BY MediaTypeId ORDER BY MediaTypeId`),
  q('order by limit offset', ['order by', 'limit offset'], `
    SELECT TrackId, Name, Milliseconds FROM Track
    ORDER BY Milliseconds DESC, TrackId LIMIT 10 OFFSET 20`),
  q('order by expression and nulls first', ['order by', 'null ordering'], `
    SELECT CustomerId, State, Country FROM Customer
    ORDER BY State, Country DESC, CustomerId LIMIT 30`),
  q('distinct one column', ['distinct'], `
    SELECT DISTINCT BillingCountry FROM Invoice ORDER BY BillingCountry`),
  q('distinct two columns with nulls', ['distinct', 'null'], `
    SELECT DISTINCT Country, State FROM Customer ORDER BY Country, State`),
  q('count distinct per genre', ['count distinct', 'group by'], `
    SELECT GenreId, COUNT(*) AS AllTracks, COUNT(Composer) AS WithComposer, COUNT(DISTINCT Composer) AS Composers,
      COUNT(DISTINCT AlbumId) AS Albums
    FROM Track GROUP BY GenreId ORDER BY GenreId`),
  q('scalar subquery in select list', ['correlated subquery', 'scalar subquery'], `
    SELECT c.CustomerId, c.LastName,
      (SELECT SUM(i.Total) FROM Invoice i WHERE i.CustomerId = c.CustomerId) AS Spent,
      (SELECT COUNT(*) FROM Invoice i WHERE i.CustomerId = c.CustomerId) AS Invoices
    FROM Customer c ORDER BY Spent DESC, c.CustomerId LIMIT 10`),
  q('scalar subquery in where', ['scalar subquery'], `
    SELECT TrackId, Name, Milliseconds FROM Track
    WHERE Milliseconds > (SELECT AVG(Milliseconds) * 6 FROM Track) ORDER BY TrackId`),
  q('correlated subquery in where', ['correlated subquery'], `
    SELECT i.InvoiceId, i.CustomerId, i.Total FROM Invoice i
    WHERE i.Total > (SELECT AVG(i2.Total) * 2 FROM Invoice i2 WHERE i2.CustomerId = i.CustomerId)
    ORDER BY i.InvoiceId`),
  q('in subquery nested', ['in subquery'], `
    SELECT ar.ArtistId, ar.Name FROM Artist ar
    WHERE ar.ArtistId IN (SELECT al.ArtistId FROM Album al JOIN Track t ON t.AlbumId = al.AlbumId
      WHERE t.GenreId = (SELECT GenreId FROM Genre WHERE Name = 'Jazz'))
    ORDER BY ar.ArtistId`),
  q('not in subquery unsold tracks', ['not in subquery'], `
    SELECT TrackId, Name FROM Track
    WHERE TrackId NOT IN (SELECT TrackId FROM InvoiceLine) ORDER BY TrackId LIMIT 25`),
  q('exists', ['exists'], `
    SELECT c.CustomerId, c.FirstName FROM Customer c
    WHERE EXISTS (SELECT 1 FROM Invoice i WHERE i.CustomerId = c.CustomerId AND i.Total > 15)
    ORDER BY c.CustomerId`),
  q('not exists employees without reports', ['not exists'], `
    SELECT e.EmployeeId, e.LastName, e.Title FROM Employee e
    WHERE NOT EXISTS (SELECT 1 FROM Employee r WHERE r.ReportsTo = e.EmployeeId)
    ORDER BY e.EmployeeId`),
  q('cte country sales', ['cte'], `
    WITH country_sales AS (
      SELECT BillingCountry AS Country, SUM(Total) AS Sales, COUNT(*) AS Invoices FROM Invoice GROUP BY BillingCountry)
    SELECT Country, Sales, Invoices, Sales / Invoices AS PerInvoice FROM country_sales
    WHERE Invoices >= 7 ORDER BY Sales DESC, Country`),
  q('cte two ctes joined', ['cte', 'join'], `
    WITH rep_sales AS (
      SELECT c.SupportRepId AS RepId, SUM(i.Total) AS Sales FROM Customer c JOIN Invoice i ON i.CustomerId = c.CustomerId
      GROUP BY c.SupportRepId),
    rep_customers AS (SELECT SupportRepId AS RepId, COUNT(*) AS Customers FROM Customer GROUP BY SupportRepId)
    SELECT e.EmployeeId, e.LastName, s.Sales, rc.Customers
    FROM Employee e JOIN rep_sales s ON s.RepId = e.EmployeeId JOIN rep_customers rc ON rc.RepId = e.EmployeeId
    ORDER BY e.EmployeeId`),
  q('recursive employee hierarchy', ['with recursive', 'string concat'], `
    WITH RECURSIVE chain(EmployeeId, Name, Depth, Path) AS (
      SELECT EmployeeId, FirstName || ' ' || LastName, 0, CAST(EmployeeId AS TEXT) FROM Employee WHERE ReportsTo IS NULL
      UNION ALL
      SELECT e.EmployeeId, e.FirstName || ' ' || e.LastName, chain.Depth + 1, chain.Path || '/' || e.EmployeeId
      FROM Employee e JOIN chain ON e.ReportsTo = chain.EmployeeId)
    SELECT EmployeeId, Name, Depth, Path FROM chain ORDER BY Path`),
  q('recursive month series with left join', ['with recursive', 'left join', 'strftime'], `
    WITH RECURSIVE months(m) AS (SELECT 1 UNION ALL SELECT m + 1 FROM months WHERE m < 12)
    SELECT m AS Month, COUNT(i.InvoiceId) AS Invoices, COALESCE(SUM(i.Total), 0) AS Sales
    FROM months LEFT JOIN Invoice i
      ON CAST(strftime('%m', i.InvoiceDate) AS INTEGER) = m AND strftime('%Y', i.InvoiceDate) = '2022'
    GROUP BY m ORDER BY m`),
  q('row_number top invoice per country', ['window', 'row_number', 'subquery in from'], `
    SELECT BillingCountry, InvoiceId, Total FROM (
      SELECT BillingCountry, InvoiceId, Total,
        ROW_NUMBER() OVER (PARTITION BY BillingCountry ORDER BY Total DESC, InvoiceId) AS rn
      FROM Invoice)
    WHERE rn = 1 ORDER BY BillingCountry`),
  q('rank and dense_rank over aggregate', ['window', 'rank', 'dense_rank', 'group by'], `
    SELECT GenreId, COUNT(*) AS Tracks,
      RANK() OVER (ORDER BY COUNT(*) DESC) AS Rnk, DENSE_RANK() OVER (ORDER BY COUNT(*) DESC) AS DenseRnk
    FROM Track GROUP BY GenreId ORDER BY Tracks DESC, GenreId`),
  q('rank within partition', ['window', 'rank', 'partition by'], `
    SELECT AlbumId, TrackId, Milliseconds,
      RANK() OVER (PARTITION BY AlbumId ORDER BY UnitPrice DESC) AS PriceRank,
      ROW_NUMBER() OVER (PARTITION BY AlbumId ORDER BY Milliseconds DESC, TrackId) AS LenRank
    FROM Track WHERE AlbumId BETWEEN 1 AND 6 ORDER BY AlbumId, TrackId`),
  q('lag and lead monthly revenue', ['window', 'lag', 'lead', 'cte', 'strftime'], `
    WITH monthly AS (SELECT strftime('%Y-%m', InvoiceDate) AS Ym, SUM(Total) AS Revenue FROM Invoice GROUP BY Ym)
    SELECT Ym, Revenue, LAG(Revenue) OVER (ORDER BY Ym) AS Prev, LEAD(Revenue, 1, 0) OVER (ORDER BY Ym) AS Next,
      Revenue - LAG(Revenue, 1, Revenue) OVER (ORDER BY Ym) AS Delta
    FROM monthly ORDER BY Ym`),
  q('running total per customer', ['window', 'sum over', 'running total'], `
    SELECT CustomerId, InvoiceId, InvoiceDate, Total,
      SUM(Total) OVER (PARTITION BY CustomerId ORDER BY InvoiceDate, InvoiceId) AS RunningTotal,
      COUNT(*) OVER (PARTITION BY CustomerId ORDER BY InvoiceDate, InvoiceId) AS RunningCount
    FROM Invoice WHERE CustomerId <= 4 ORDER BY CustomerId, InvoiceDate, InvoiceId`),
  q('window partition aggregates and moving average', ['window', 'frame', 'partition by'], `
    SELECT TrackId, AlbumId, Milliseconds,
      AVG(Milliseconds) OVER (PARTITION BY AlbumId) AS AlbumAvg,
      SUM(Milliseconds) OVER (PARTITION BY AlbumId ORDER BY TrackId ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS Moving3,
      COUNT(*) OVER (PARTITION BY AlbumId) AS AlbumTracks
    FROM Track WHERE AlbumId <= 4 ORDER BY TrackId`),
  q('strftime year totals', ['strftime', 'group by'], `
    SELECT strftime('%Y', InvoiceDate) AS Year, COUNT(*) AS Invoices, SUM(Total) AS Sales, AVG(Total) AS AvgTotal
    FROM Invoice GROUP BY Year ORDER BY Year`),
  q('date and julianday on employees', ['date', 'julianday', 'cast'], `
    SELECT EmployeeId, date(BirthDate) AS Born, date(HireDate) AS Hired, date(HireDate, '+1 month', 'start of month') AS NextMonth,
      CAST((julianday(HireDate) - julianday(BirthDate)) / 365.25 AS INTEGER) AS AgeAtHire,
      julianday('2025-01-01') - julianday(HireDate) AS DaysEmployed, strftime('%w', HireDate) AS Weekday
    FROM Employee ORDER BY EmployeeId`),
  q('date range filter', ['date', 'between'], `
    SELECT InvoiceId, date(InvoiceDate) AS Day, Total FROM Invoice
    WHERE InvoiceDate >= '2022-01-01' AND InvoiceDate < '2022-03-01' ORDER BY InvoiceDate, InvoiceId`),
  q('days between consecutive invoices', ['julianday', 'window', 'lag'], `
    SELECT CustomerId, InvoiceId,
      julianday(InvoiceDate) - julianday(LAG(InvoiceDate) OVER (PARTITION BY CustomerId ORDER BY InvoiceDate, InvoiceId)) AS DaysSincePrev
    FROM Invoice WHERE CustomerId IN (1, 2, 3) ORDER BY CustomerId, InvoiceDate, InvoiceId`),
  q('string functions', ['||', 'upper', 'lower', 'substr', 'length', 'replace', 'instr', 'trim'], `
    SELECT CustomerId, FirstName || ' ' || LastName AS FullName, upper(LastName) AS Upper, lower(City) AS Lower,
      substr(FirstName, 1, 1) || '.' AS Initial, length(Email) AS EmailLen, instr(Email, '@') AS AtPos,
      substr(Email, instr(Email, '@') + 1) AS Domain, replace(Phone, ' ', '') AS Phone, trim('  ' || Country || ' ') AS Country
    FROM Customer ORDER BY CustomerId LIMIT 15`),
  q('like patterns', ['like'], `
    SELECT TrackId, Name FROM Track
    WHERE Name LIKE '%love%' AND Name NOT LIKE 'I%' AND Composer LIKE '_%' ORDER BY TrackId`),
  q('case buckets', ['case', 'group by'], `
    SELECT CASE WHEN Milliseconds < 180000 THEN 'short' WHEN Milliseconds < 300000 THEN 'medium'
             WHEN Milliseconds < 600000 THEN 'long' ELSE 'epic' END AS Bucket,
      COUNT(*) AS Tracks, MIN(Milliseconds) AS Shortest
    FROM Track GROUP BY Bucket ORDER BY Shortest`),
  q('simple case and coalesce nullif', ['case', 'coalesce', 'nullif', 'ifnull'], `
    SELECT CustomerId, CASE Country WHEN 'USA' THEN 'domestic' WHEN 'Canada' THEN 'near' ELSE 'abroad' END AS Zone,
      COALESCE(State, Country) AS Region, NULLIF(Country, 'USA') AS NonUsa, IFNULL(Fax, 'no fax') AS Fax
    FROM Customer ORDER BY CustomerId`),
  q('cast conversions', ['cast', 'typeof'], `
    SELECT InvoiceId, Total, CAST(Total AS INTEGER) AS Whole, CAST(InvoiceId AS TEXT) || '#' AS Label,
      CAST(Total * 100 AS INTEGER) AS Cents, CAST('12.5' AS REAL) + InvoiceId AS Mixed, typeof(Total) AS TotalType
    FROM Invoice ORDER BY InvoiceId LIMIT 12`),
  q('union', ['union'], `
    SELECT Country FROM Customer UNION SELECT Country FROM Employee ORDER BY Country`),
  q('union all with tags', ['union all', 'group by'], `
    SELECT 'customer' AS Kind, City, COUNT(*) AS N FROM Customer WHERE Country = 'Canada' GROUP BY City
    UNION ALL
    SELECT 'employee', City, COUNT(*) FROM Employee GROUP BY City
    ORDER BY Kind, City`),
  q('intersect', ['intersect'], `
    SELECT City FROM Customer INTERSECT SELECT City FROM Employee ORDER BY City`),
  q('except', ['except'], `
    SELECT BillingCountry FROM Invoice EXCEPT SELECT Country FROM Customer WHERE SupportRepId = 3 ORDER BY BillingCountry`),
  q('playlist sizes with in list', ['join', 'group by', 'in list'], `
    SELECT p.PlaylistId, p.Name, COUNT(pt.TrackId) AS Tracks
    FROM Playlist p LEFT JOIN PlaylistTrack pt ON pt.PlaylistId = p.PlaylistId
    WHERE p.PlaylistId IN (1, 3, 5, 8, 10, 12, 14, 16, 18)
    GROUP BY p.PlaylistId, p.Name ORDER BY Tracks DESC, p.PlaylistId`),
];

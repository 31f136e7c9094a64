using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Motiv.Core.Data;

namespace Motiv.Data.Sqlite.Migrations;

/// <summary>
/// The search index (kept by Motiv.Core.Search.SearchIndexer): search_docs maps a record id to an
/// integer rowid; search_fts is the prefix index over folded title and body; search_trgm is the
/// trigram index over titles for typo-tolerant matches.
/// </summary>
[DbContext(typeof(MotivDbContext))]
[Migration("20261127000546_SearchIndex")]
public sealed class SearchIndex : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("CREATE TABLE search_docs (rowid INTEGER PRIMARY KEY, entity_id TEXT NOT NULL UNIQUE, entity_type TEXT NOT NULL);");
        migrationBuilder.Sql("CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tokenize = 'unicode61', prefix = '1 2 3');");
        migrationBuilder.Sql("CREATE VIRTUAL TABLE search_trgm USING fts5(title, tokenize = 'trigram');");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("DROP TABLE search_trgm;");
        migrationBuilder.Sql("DROP TABLE search_fts;");
        migrationBuilder.Sql("DROP TABLE search_docs;");
    }
}

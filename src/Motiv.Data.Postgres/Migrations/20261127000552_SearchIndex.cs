using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Motiv.Core.Data;

namespace Motiv.Data.Postgres.Migrations;

/// <summary>
/// The search index (kept by Motiv.Core.Search.SearchIndexer): a tsvector over folded title and body
/// for prefix matches and a pg_trgm index over titles for typo-tolerant matches.
/// pg_trgm must be available to the database (Debian's postgresql package ships it).
/// </summary>
[DbContext(typeof(MotivDbContext))]
[Migration("20261127000552_SearchIndex")]
public sealed class SearchIndex : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm;");
        migrationBuilder.Sql("""
            CREATE TABLE search_documents (
                entity_id uuid PRIMARY KEY,
                entity_type text NOT NULL,
                title text NOT NULL,
                body text NOT NULL,
                tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', title || ' ' || body)) STORED);
            """);
        migrationBuilder.Sql("CREATE INDEX ix_search_documents_tsv ON search_documents USING gin (tsv);");
        migrationBuilder.Sql("CREATE INDEX ix_search_documents_title_trgm ON search_documents USING gin (title gin_trgm_ops);");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("DROP TABLE search_documents;");
    }
}

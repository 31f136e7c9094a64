using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Motiv.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class SearchTitleVector : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Names first: the title's own words, indexed, so that the names phase of a search neither builds
            // to_tsvector(title) for every candidate row nor walks matches found only in the body (ADR-007).
            migrationBuilder.Sql("ALTER TABLE search_documents ADD COLUMN title_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', title)) STORED;");
            migrationBuilder.Sql("CREATE INDEX ix_search_documents_title_tsv ON search_documents USING gin (title_tsv);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ix_search_documents_title_tsv;");
            migrationBuilder.Sql("ALTER TABLE search_documents DROP COLUMN title_tsv;");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Motiv.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Duplicates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "duplicate_dismissals",
                columns: table => new
                {
                    Entity = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    FirstId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SecondId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DismissedById = table.Column<Guid>(type: "TEXT", nullable: false),
                    DismissedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_duplicate_dismissals", x => new { x.Entity, x.FirstId, x.SecondId });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "duplicate_dismissals");
        }
    }
}

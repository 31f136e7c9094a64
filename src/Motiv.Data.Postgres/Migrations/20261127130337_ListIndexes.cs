using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Motiv.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_people_City_Id",
                table: "people");

            migrationBuilder.DropIndex(
                name: "IX_people_LastName_FirstName_Id",
                table: "people");

            migrationBuilder.DropIndex(
                name: "IX_organizations_City_Id",
                table: "organizations");

            migrationBuilder.CreateIndex(
                name: "IX_people_City_LastName_Id",
                table: "people",
                columns: new[] { "City", "LastName", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_people_LastName_Id",
                table: "people",
                columns: new[] { "LastName", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_organizations_City_Name_Id",
                table: "organizations",
                columns: new[] { "City", "Name", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_people_City_LastName_Id",
                table: "people");

            migrationBuilder.DropIndex(
                name: "IX_people_LastName_Id",
                table: "people");

            migrationBuilder.DropIndex(
                name: "IX_organizations_City_Name_Id",
                table: "organizations");

            migrationBuilder.CreateIndex(
                name: "IX_people_City_Id",
                table: "people",
                columns: new[] { "City", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_people_LastName_FirstName_Id",
                table: "people",
                columns: new[] { "LastName", "FirstName", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_organizations_City_Id",
                table: "organizations",
                columns: new[] { "City", "Id" });
        }
    }
}

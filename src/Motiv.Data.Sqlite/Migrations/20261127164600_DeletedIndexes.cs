using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Motiv.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class DeletedIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_tasks_DeletedAt",
                table: "tasks");

            migrationBuilder.DropIndex(
                name: "IX_relationships_DeletedAt",
                table: "relationships");

            migrationBuilder.DropIndex(
                name: "IX_quotes_DeletedAt",
                table: "quotes");

            migrationBuilder.DropIndex(
                name: "IX_products_DeletedAt",
                table: "products");

            migrationBuilder.DropIndex(
                name: "IX_people_DeletedAt",
                table: "people");

            migrationBuilder.DropIndex(
                name: "IX_organizations_DeletedAt",
                table: "organizations");

            migrationBuilder.DropIndex(
                name: "IX_orders_DeletedAt",
                table: "orders");

            migrationBuilder.DropIndex(
                name: "IX_leads_DeletedAt",
                table: "leads");

            migrationBuilder.DropIndex(
                name: "IX_interactions_DeletedAt",
                table: "interactions");

            migrationBuilder.DropIndex(
                name: "IX_deals_DeletedAt",
                table: "deals");

            migrationBuilder.CreateIndex(
                name: "IX_tasks_DeletedAt",
                table: "tasks",
                column: "DeletedAt",
                filter: "\"DeletedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_relationships_DeletedAt",
                table: "relationships",
                column: "DeletedAt",
                filter: "\"DeletedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_quotes_DeletedAt",
                table: "quotes",
                column: "DeletedAt",
                filter: "\"DeletedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_products_DeletedAt",
                table: "products",
                column: "DeletedAt",
                filter: "\"DeletedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_people_DeletedAt",
                table: "people",
                column: "DeletedAt",
                filter: "\"DeletedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_organizations_DeletedAt",
                table: "organizations",
                column: "DeletedAt",
                filter: "\"DeletedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_orders_DeletedAt",
                table: "orders",
                column: "DeletedAt",
                filter: "\"DeletedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_leads_DeletedAt",
                table: "leads",
                column: "DeletedAt",
                filter: "\"DeletedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_interactions_DeletedAt",
                table: "interactions",
                column: "DeletedAt",
                filter: "\"DeletedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_deals_DeletedAt",
                table: "deals",
                column: "DeletedAt",
                filter: "\"DeletedAt\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_tasks_DeletedAt",
                table: "tasks");

            migrationBuilder.DropIndex(
                name: "IX_relationships_DeletedAt",
                table: "relationships");

            migrationBuilder.DropIndex(
                name: "IX_quotes_DeletedAt",
                table: "quotes");

            migrationBuilder.DropIndex(
                name: "IX_products_DeletedAt",
                table: "products");

            migrationBuilder.DropIndex(
                name: "IX_people_DeletedAt",
                table: "people");

            migrationBuilder.DropIndex(
                name: "IX_organizations_DeletedAt",
                table: "organizations");

            migrationBuilder.DropIndex(
                name: "IX_orders_DeletedAt",
                table: "orders");

            migrationBuilder.DropIndex(
                name: "IX_leads_DeletedAt",
                table: "leads");

            migrationBuilder.DropIndex(
                name: "IX_interactions_DeletedAt",
                table: "interactions");

            migrationBuilder.DropIndex(
                name: "IX_deals_DeletedAt",
                table: "deals");

            migrationBuilder.CreateIndex(
                name: "IX_tasks_DeletedAt",
                table: "tasks",
                column: "DeletedAt");

            migrationBuilder.CreateIndex(
                name: "IX_relationships_DeletedAt",
                table: "relationships",
                column: "DeletedAt");

            migrationBuilder.CreateIndex(
                name: "IX_quotes_DeletedAt",
                table: "quotes",
                column: "DeletedAt");

            migrationBuilder.CreateIndex(
                name: "IX_products_DeletedAt",
                table: "products",
                column: "DeletedAt");

            migrationBuilder.CreateIndex(
                name: "IX_people_DeletedAt",
                table: "people",
                column: "DeletedAt");

            migrationBuilder.CreateIndex(
                name: "IX_organizations_DeletedAt",
                table: "organizations",
                column: "DeletedAt");

            migrationBuilder.CreateIndex(
                name: "IX_orders_DeletedAt",
                table: "orders",
                column: "DeletedAt");

            migrationBuilder.CreateIndex(
                name: "IX_leads_DeletedAt",
                table: "leads",
                column: "DeletedAt");

            migrationBuilder.CreateIndex(
                name: "IX_interactions_DeletedAt",
                table: "interactions",
                column: "DeletedAt");

            migrationBuilder.CreateIndex(
                name: "IX_deals_DeletedAt",
                table: "deals",
                column: "DeletedAt");
        }
    }
}

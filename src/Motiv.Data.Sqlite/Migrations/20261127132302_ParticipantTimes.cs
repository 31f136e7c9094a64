using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Motiv.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ParticipantTimes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_interaction_participants_PersonId_InteractionId",
                table: "interaction_participants");

            migrationBuilder.AddColumn<long>(
                name: "OccurredAt",
                table: "interaction_participants",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            // Participants carry their interaction's time from now on; the ones already stored get it here.
            migrationBuilder.Sql("""UPDATE interaction_participants SET "OccurredAt" = (SELECT i."OccurredAt" FROM interactions i WHERE i."Id" = interaction_participants."InteractionId");""");

            migrationBuilder.CreateIndex(
                name: "IX_interaction_participants_PersonId_OccurredAt_InteractionId",
                table: "interaction_participants",
                columns: new[] { "PersonId", "OccurredAt", "InteractionId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_interaction_participants_PersonId_OccurredAt_InteractionId",
                table: "interaction_participants");

            migrationBuilder.DropColumn(
                name: "OccurredAt",
                table: "interaction_participants");

            migrationBuilder.CreateIndex(
                name: "IX_interaction_participants_PersonId_InteractionId",
                table: "interaction_participants",
                columns: new[] { "PersonId", "InteractionId" });
        }
    }
}

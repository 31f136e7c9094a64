using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Motiv.Data.Postgres.Migrations
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

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "OccurredAt",
                table: "interaction_participants",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            // Participants carry their interaction's time from now on; the ones already stored get it here.
            migrationBuilder.Sql("""UPDATE interaction_participants p SET "OccurredAt" = i."OccurredAt" FROM interactions i WHERE i."Id" = p."InteractionId";""");

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

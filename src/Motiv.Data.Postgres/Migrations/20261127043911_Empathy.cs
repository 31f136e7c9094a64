using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Motiv.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Empathy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "BirthdayReminder",
                table: "people",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "CommunicationStyle",
                table: "people",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ContactTimes",
                table: "people",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FamilyNotes",
                table: "people",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HowWeMet",
                table: "people",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ImportantDates",
                table: "people",
                type: "text",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "Interests",
                table: "people",
                type: "text",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "MotivesObjectedAt",
                table: "people",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "NextReminderOn",
                table: "people",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Motives",
                table: "mail_templates",
                type: "text",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.CreateTable(
                name: "action_feedback",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    PersonId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ActionKey = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    Accepted = table.Column<bool>(type: "boolean", nullable: false),
                    TaskId = table.Column<Guid>(type: "uuid", nullable: true),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_action_feedback", x => x.Id);
                    table.ForeignKey(
                        name: "FK_action_feedback_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_action_feedback_people_PersonId",
                        column: x => x.PersonId,
                        principalTable: "people",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "health_history",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SubjectId = table.Column<Guid>(type: "uuid", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Score = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_health_history", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "health_scores",
                columns: table => new
                {
                    SubjectId = table.Column<Guid>(type: "uuid", nullable: false),
                    SubjectType = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Score = table.Column<int>(type: "integer", nullable: false),
                    HasContact = table.Column<bool>(type: "boolean", nullable: false),
                    Components = table.Column<string>(type: "text", nullable: false),
                    Previous = table.Column<int>(type: "integer", nullable: true),
                    Drop = table.Column<int>(type: "integer", nullable: false),
                    ComputedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_health_scores", x => x.SubjectId);
                });

            migrationBuilder.CreateTable(
                name: "motive_evidence",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PersonId = table.Column<Guid>(type: "uuid", nullable: false),
                    Motive = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Strength = table.Column<double>(type: "double precision", nullable: false),
                    Reliability = table.Column<double>(type: "double precision", nullable: false),
                    Source = table.Column<int>(type: "integer", nullable: false),
                    InteractionId = table.Column<Guid>(type: "uuid", nullable: false),
                    Sentence = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    SentenceKey = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Negated = table.Column<bool>(type: "boolean", nullable: false),
                    Language = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    Cue = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    OccurredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExtractorVersion = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    ReviewedById = table.Column<Guid>(type: "uuid", nullable: true),
                    ReviewedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_motive_evidence", x => x.Id);
                    table.ForeignKey(
                        name: "FK_motive_evidence_interactions_InteractionId",
                        column: x => x.InteractionId,
                        principalTable: "interactions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_motive_evidence_people_PersonId",
                        column: x => x.PersonId,
                        principalTable: "people",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "motive_ratings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PersonId = table.Column<Guid>(type: "uuid", nullable: false),
                    Motive = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    Value = table.Column<int>(type: "integer", nullable: true),
                    Note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    RatedById = table.Column<Guid>(type: "uuid", nullable: true),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_motive_ratings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_motive_ratings_people_PersonId",
                        column: x => x.PersonId,
                        principalTable: "people",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "motive_snapshots",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PersonId = table.Column<Guid>(type: "uuid", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Scores = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_motive_snapshots", x => x.Id);
                    table.ForeignKey(
                        name: "FK_motive_snapshots_people_PersonId",
                        column: x => x.PersonId,
                        principalTable: "people",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_people_NextReminderOn",
                table: "people",
                column: "NextReminderOn");

            migrationBuilder.CreateIndex(
                name: "IX_action_feedback_PersonId",
                table: "action_feedback",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_action_feedback_UserId_At",
                table: "action_feedback",
                columns: new[] { "UserId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_health_history_SubjectId_Day",
                table: "health_history",
                columns: new[] { "SubjectId", "Day" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_health_scores_SubjectType_HasContact_Drop_Score",
                table: "health_scores",
                columns: new[] { "SubjectType", "HasContact", "Drop", "Score" });

            migrationBuilder.CreateIndex(
                name: "IX_motive_evidence_InteractionId",
                table: "motive_evidence",
                column: "InteractionId");

            migrationBuilder.CreateIndex(
                name: "IX_motive_evidence_PersonId_InteractionId_Motive_SentenceKey",
                table: "motive_evidence",
                columns: new[] { "PersonId", "InteractionId", "Motive", "SentenceKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_motive_ratings_PersonId_Motive_At",
                table: "motive_ratings",
                columns: new[] { "PersonId", "Motive", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_motive_snapshots_PersonId_Day",
                table: "motive_snapshots",
                columns: new[] { "PersonId", "Day" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "action_feedback");

            migrationBuilder.DropTable(
                name: "health_history");

            migrationBuilder.DropTable(
                name: "health_scores");

            migrationBuilder.DropTable(
                name: "motive_evidence");

            migrationBuilder.DropTable(
                name: "motive_ratings");

            migrationBuilder.DropTable(
                name: "motive_snapshots");

            migrationBuilder.DropIndex(
                name: "IX_people_NextReminderOn",
                table: "people");

            migrationBuilder.DropColumn(
                name: "BirthdayReminder",
                table: "people");

            migrationBuilder.DropColumn(
                name: "CommunicationStyle",
                table: "people");

            migrationBuilder.DropColumn(
                name: "ContactTimes",
                table: "people");

            migrationBuilder.DropColumn(
                name: "FamilyNotes",
                table: "people");

            migrationBuilder.DropColumn(
                name: "HowWeMet",
                table: "people");

            migrationBuilder.DropColumn(
                name: "ImportantDates",
                table: "people");

            migrationBuilder.DropColumn(
                name: "Interests",
                table: "people");

            migrationBuilder.DropColumn(
                name: "MotivesObjectedAt",
                table: "people");

            migrationBuilder.DropColumn(
                name: "NextReminderOn",
                table: "people");

            migrationBuilder.DropColumn(
                name: "Motives",
                table: "mail_templates");
        }
    }
}

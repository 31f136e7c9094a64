using Microsoft.EntityFrameworkCore;
using Motiv.Core.Data;

namespace Motiv.Core.Sales;

/// <summary>What a new Motiv needs to sell from the first minute: a pipeline and lead scoring rules, both changeable later.</summary>
public static class SalesDefaults
{
    public static async Task EnsureAsync(MotivDbContext db, CancellationToken ct = default)
    {
        if (!await db.Pipelines.AnyAsync(ct))
        {
            db.Pipelines.Add(NewPipeline("Neukundengeschäft", "New business", 0,
                ("Qualifizierung", "Qualification", 10, 14), ("Bedarfsanalyse", "Needs analysis", 25, 21), ("Angebot", "Proposal", 50, 14),
                ("Verhandlung", "Negotiation", 75, 10)));
        }
        if (!await db.LeadScoringRules.AnyAsync(ct))
        {
            db.LeadScoringRules.AddRange(
                Rule(ScoreCategory.Fit, ScoreField.Employees, ScoreOperator.AtLeast, "50", 15, "Mindestens 50 Mitarbeitende", "At least 50 employees"),
                Rule(ScoreCategory.Fit, ScoreField.Employees, ScoreOperator.AtLeast, "500", 10, "Mindestens 500 Mitarbeitende", "At least 500 employees"),
                Rule(ScoreCategory.Fit, ScoreField.Country, ScoreOperator.Equals, "DE", 10, "Sitz in Deutschland", "Based in Germany"),
                Rule(ScoreCategory.Fit, ScoreField.Country, ScoreOperator.Equals, "AT", 8, "Sitz in Österreich", "Based in Austria"),
                Rule(ScoreCategory.Fit, ScoreField.Country, ScoreOperator.Equals, "CH", 8, "Sitz in der Schweiz", "Based in Switzerland"),
                Rule(ScoreCategory.Fit, ScoreField.Industry, ScoreOperator.Equals, "Maschinenbau", 15, "Branche Maschinenbau", "Industry: mechanical engineering"),
                Rule(ScoreCategory.Fit, ScoreField.Source, ScoreOperator.Equals, nameof(LeadSource.Referral), 10, "Empfehlung", "Referral"),
                Rule(ScoreCategory.Engagement, ScoreField.FormSubmissions, ScoreOperator.AtLeast, "1", 10, "Hat ein Webformular gesendet", "Sent a web form"),
                Rule(ScoreCategory.Engagement, ScoreField.FormSubmissions, ScoreOperator.AtLeast, "3", 10, "Drei oder mehr Webformulare", "Three or more web forms"),
                Rule(ScoreCategory.Engagement, ScoreField.Interactions, ScoreOperator.AtLeast, "2", 15, "Mindestens zwei Gespräche", "At least two conversations"));
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A pipeline with the given open stages (German, English, probability, rotting days), then "won" and "lost".</summary>
    public static Pipeline NewPipeline(string nameDe, string nameEn, int sortOrder, params (string De, string En, int Probability, int RottingDays)[] open)
    {
        var pipeline = new Pipeline { NameDe = nameDe, NameEn = nameEn, SortOrder = sortOrder };
        pipeline.Stages.AddRange(open.Select((s, i) => new Stage
        {
            PipelineId = pipeline.Id, NameDe = s.De, NameEn = s.En, Probability = s.Probability, RottingDays = s.RottingDays, SortOrder = i, Kind = StageKind.Open,
        }));
        pipeline.Stages.Add(new Stage { PipelineId = pipeline.Id, NameDe = "Gewonnen", NameEn = "Won", Probability = 100, SortOrder = open.Length, Kind = StageKind.Won });
        pipeline.Stages.Add(new Stage { PipelineId = pipeline.Id, NameDe = "Verloren", NameEn = "Lost", Probability = 0, SortOrder = open.Length + 1, Kind = StageKind.Lost });
        return pipeline;
    }

    private static LeadScoringRule Rule(ScoreCategory category, ScoreField field, ScoreOperator op, string value, int points, string de, string en) =>
        new() { Category = category, Field = field, Operator = op, Value = value, Points = points, LabelDe = de, LabelEn = en };
}

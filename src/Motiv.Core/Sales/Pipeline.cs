using Microsoft.EntityFrameworkCore;
using Motiv.Core.Access;
using Motiv.Core.Common;
using Motiv.Core.Data;

namespace Motiv.Core.Sales;

/// <summary>Open stages carry deals forward; a deal in a won or lost stage is closed.</summary>
public enum StageKind
{
    Open = 0,
    Won = 1,
    Lost = 2,
}

/// <summary>A sales process ("Neukundengeschäft") with its ordered stages. Configuration: administrators change it, everyone reads it.</summary>
public sealed class Pipeline
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string NameDe { get; set; } = "";
    public string NameEn { get; set; } = "";
    public int SortOrder { get; set; }
    public bool IsActive { get; set; } = true;
    public List<Stage> Stages { get; set; } = [];

    public string Name(bool german) => german ? NameDe : NameEn;
}

public sealed class Stage
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PipelineId { get; set; }
    public string NameDe { get; set; } = "";
    public string NameEn { get; set; } = "";
    public int SortOrder { get; set; }

    /// <summary>The win probability, in percent, a deal in this stage has unless its own probability is set.</summary>
    public int Probability { get; set; }

    /// <summary>A deal that stays longer than this in the stage is "rotting" and shown as such.</summary>
    public int? RottingDays { get; set; }

    public StageKind Kind { get; set; }
    public bool IsActive { get; set; } = true;
}

public sealed record StageInput(Guid? Id, string? NameDe, string? NameEn, int? Probability, int? RottingDays, StageKind? Kind, bool? IsActive);

public sealed record PipelineInput(string? NameDe, string? NameEn, int? SortOrder, bool? IsActive, List<StageInput>? Stages);

public sealed record StageDto(Guid Id, string NameDe, string NameEn, string Name, int SortOrder, int Probability, int? RottingDays, StageKind Kind, bool IsActive);

public sealed record PipelineDto(Guid Id, string NameDe, string NameEn, string Name, int SortOrder, bool IsActive, IReadOnlyList<StageDto> Stages);

/// <summary>Pipelines and their stages: read by everyone signed in, changed by administrators.</summary>
public sealed class PipelineService(IDbContextFactory<MotivDbContext> dbFactory, ICurrentUser currentUser)
{
    public async Task<IReadOnlyList<PipelineDto>> ListAsync(bool includeInactive = false, CancellationToken ct = default)
    {
        if (!currentUser.Scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Pipelines.AsNoTracking().Include(p => p.Stages).Where(p => includeInactive || p.IsActive)
            .OrderBy(p => p.SortOrder).ThenBy(p => p.NameDe).ToListAsync(ct);
        return rows.Select(p => ToDto(p, includeInactive)).ToList();
    }

    public async Task<PipelineDto> GetAsync(Guid id, CancellationToken ct = default)
    {
        if (!currentUser.Scope.IsAuthenticated) throw new AccessDeniedException(Text.Get("Access.SignIn"));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var p = await db.Pipelines.AsNoTracking().Include(x => x.Stages).FirstOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundException("pipeline", id);
        return ToDto(p, includeInactive: true);
    }

    /// <summary>Creates (<paramref name="id"/> null) or changes a pipeline; stages are matched by id, new ones appended in the given order.</summary>
    public async Task<PipelineDto> SaveAsync(Guid? id, PipelineInput input, CancellationToken ct = default)
    {
        if (!currentUser.Scope.CanAdminister) throw new AccessDeniedException(Text.Get("Access.AdministratorsOnly"));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pipeline = id is { } existing
            ? await db.Pipelines.Include(p => p.Stages).FirstOrDefaultAsync(p => p.Id == existing, ct) ?? throw new NotFoundException("pipeline", existing)
            : db.Pipelines.Add(new Pipeline { SortOrder = await db.Pipelines.CountAsync(ct) }).Entity;
        var errors = new FieldErrors();
        pipeline.NameDe = errors.Required("nameDe", input.NameDe ?? (id is null ? null : pipeline.NameDe), 100);
        pipeline.NameEn = errors.Required("nameEn", input.NameEn ?? (id is null ? null : pipeline.NameEn), 100);
        if (input.SortOrder is { } order) pipeline.SortOrder = order;
        if (input.IsActive is { } active) pipeline.IsActive = active;
        if (input.Stages is { } stages) await ApplyStagesAsync(db, errors, pipeline, stages, ct);
        else if (id is null) errors.Add("stages", Text.Get("Validation.Stages"));
        errors.ThrowIfAny();
        await db.SaveChangesAsync(ct);
        return ToDto(pipeline, includeInactive: true);
    }

    private static async Task ApplyStagesAsync(MotivDbContext db, FieldErrors errors, Pipeline pipeline, List<StageInput> input, CancellationToken ct)
    {
        var kept = new List<Stage>();
        foreach (var (s, i) in input.Select((s, i) => (s, i)))
        {
            var stage = s.Id is { } sid ? pipeline.Stages.FirstOrDefault(x => x.Id == sid) : null;
            if (s.Id is not null && stage is null) { errors.Add($"stages[{i}].id", Text.Get("Validation.UnknownStage")); continue; }
            stage ??= new Stage { PipelineId = pipeline.Id };
            stage.NameDe = errors.Required($"stages[{i}].nameDe", s.NameDe, 100);
            stage.NameEn = errors.Required($"stages[{i}].nameEn", s.NameEn, 100);
            stage.Kind = s.Kind ?? StageKind.Open;
            if (!Enum.IsDefined(stage.Kind)) errors.Add($"stages[{i}].kind", Text.Get("Validation.Choice"));
            stage.Probability = stage.Kind switch { StageKind.Won => 100, StageKind.Lost => 0, _ => s.Probability ?? 0 };
            if (stage.Probability is < 0 or > 100) errors.Add($"stages[{i}].probability", Text.Get("Validation.Percent"));
            stage.RottingDays = s.RottingDays;
            if (s.RottingDays is < 1) errors.Add($"stages[{i}].rottingDays", Text.Get("Validation.Positive"));
            stage.IsActive = s.IsActive ?? true;
            stage.SortOrder = i;
            kept.Add(stage);
        }
        if (!kept.Any(s => s.Kind == StageKind.Open && s.IsActive) || !kept.Any(s => s.Kind == StageKind.Won) || !kept.Any(s => s.Kind == StageKind.Lost))
            errors.Add("stages", Text.Get("Validation.Stages"));
        var removed = pipeline.Stages.Except(kept).Select(s => s.Id).ToList();
        // A stage that deals stand in (or stood in) is retired, not removed, so their history keeps its name.
        if (removed.Count > 0 && (await db.Deals.IgnoreQueryFilters().AnyAsync(d => removed.Contains(d.StageId), ct)
                || await db.DealStageChanges.AnyAsync(c => removed.Contains(c.StageId), ct)))
            errors.Add("stages", Text.Get("Validation.StageInUse"));
        foreach (var gone in pipeline.Stages.Except(kept).ToList()) pipeline.Stages.Remove(gone);
        foreach (var added in kept.Except(pipeline.Stages).ToList()) pipeline.Stages.Add(added);
    }

    internal static PipelineDto ToDto(Pipeline p, bool includeInactive)
    {
        var german = Text.IsGerman;
        return new PipelineDto(p.Id, p.NameDe, p.NameEn, p.Name(german), p.SortOrder, p.IsActive,
            p.Stages.Where(s => includeInactive || s.IsActive).OrderBy(s => s.SortOrder)
                .Select(s => new StageDto(s.Id, s.NameDe, s.NameEn, german ? s.NameDe : s.NameEn, s.SortOrder, s.Probability, s.RottingDays, s.Kind, s.IsActive)).ToList());
    }
}

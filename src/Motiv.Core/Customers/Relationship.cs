using Motiv.Core.Common;

namespace Motiv.Core.Customers;

public enum RelationshipType
{
    // person → person
    ReportsTo = 0,
    AssistantOf = 1,
    Knows = 2,
    ReferredBy = 3,
    Family = 4,

    // organisation → organisation
    PartnerOf = 10,
    SupplierOf = 11,
    SubsidiaryOf = 12,
    CompetitorOf = 13,
}

/// <summary>A typed link between two people or between two organisations, with a note.</summary>
public sealed class Relationship : Record
{
    public const string Type = "relationship";
    public override string RecordType => Type;
    public override string DisplayName => $"{Kind}";

    public RelationshipType Kind { get; set; }
    public Guid FromId { get; set; }
    public Guid ToId { get; set; }
    public string? Note { get; set; }

    public static bool IsBetweenPeople(RelationshipType t) => (int)t < 10;
}

using Microsoft.EntityFrameworkCore;
using Motiv.Core.Customers;
using Motiv.Core.Data;

namespace Motiv.Core.Common;

/// <summary>The business record types by their API name ("organizations", "people", ...).</summary>
public static class RecordTypes
{
    private static readonly Dictionary<string, Func<MotivDbContext, IQueryable<Record>>> Sets = new(StringComparer.Ordinal)
    {
        [Organization.Type] = db => db.Organizations,
        [Person.Type] = db => db.People,
        [Relationship.Type] = db => db.Relationships,
        [Sales.Product.Type] = db => db.Products,
        [Sales.Lead.Type] = db => db.Leads,
        [Sales.Deal.Type] = db => db.Deals,
        [Sales.Quote.Type] = db => db.Quotes,
        [Sales.Order.Type] = db => db.Orders,
        [Communication.Interaction.Type] = db => db.Interactions,
        [Activities.TaskItem.Type] = db => db.Tasks,
    };

    /// <summary>The route segment of each type, as in /api/v1/{segment}.</summary>
    public static readonly IReadOnlyDictionary<string, string> BySegment = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["organizations"] = Organization.Type,
        ["people"] = Person.Type,
        ["relationships"] = Relationship.Type,
        ["products"] = Sales.Product.Type,
        ["leads"] = Sales.Lead.Type,
        ["deals"] = Sales.Deal.Type,
        ["quotes"] = Sales.Quote.Type,
        ["orders"] = Sales.Order.Type,
        ["interactions"] = Communication.Interaction.Type,
        ["tasks"] = Activities.TaskItem.Type,
    };

    public static IReadOnlyCollection<string> All => Sets.Keys;

    /// <summary>The records of a type the current user may see, including those in the recycle bin when asked.</summary>
    public static IQueryable<Record> Query(MotivDbContext db, string type, bool includeDeleted = false)
    {
        if (!Sets.TryGetValue(type, out var set)) throw new NotFoundException(type, Guid.Empty);
        var query = set(db);
        return includeDeleted ? query.IgnoreQueryFilters([MotivDbContext.SoftDeleteFilter]) : query;
    }
}

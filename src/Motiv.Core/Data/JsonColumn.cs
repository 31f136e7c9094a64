using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Motiv.Core.Data;

/// <summary>Stores a list of small value records as one JSON text column, the same on every provider.</summary>
public static class JsonColumn
{
    internal static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static PropertyBuilder<List<T>> HasJsonConversion<T>(this PropertyBuilder<List<T>> property) =>
        property.HasConversion(
            v => JsonSerializer.Serialize(v, Options),
            s => JsonSerializer.Deserialize<List<T>>(s, Options) ?? new List<T>(),
            // The elements are strings or immutable records of scalars (a test keeps it so), so value equality and a
            // shallow copy are exact; serialising both sides on every change detection made large saves slow.
            new ValueComparer<List<T>>(
                (a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
                v => v.Aggregate(0, (hash, x) => HashCode.Combine(hash, x)),
                v => v.ToList()))
        .IsRequired();
}

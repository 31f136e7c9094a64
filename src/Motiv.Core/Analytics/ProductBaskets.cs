using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore;
using Motiv.Core.Sales;

namespace Motiv.Core.Analytics;

/// <summary>
/// Orders as baskets for association rules: each order's products as a small array of product numbers
/// (<see cref="Products"/>[number] is the product's id), read line by line in order of the orders. Two million orders
/// held as sets of ids or names took gigabytes; as numbers they take tens of megabytes. The arrays are shared (the
/// orders of one product alone share one) and must not be changed.
/// </summary>
public sealed class ProductBaskets(List<int[]> baskets, List<Guid> products, int[] customersPerProduct, int customerCount)
{
    public List<int[]> Baskets => baskets;

    public List<Guid> Products => products;

    /// <summary>How many customers (organisations) bought any product.</summary>
    public int CustomerCount => customerCount;

    /// <summary>For each product number, how many customers bought it (read with the customers only; zeros otherwise).</summary>
    public int[] CustomersPerProduct => customersPerProduct;

    /// <summary>
    /// The orders' baskets; with <paramref name="withCustomers"/> also who bought what (for <see cref="CustomersPerProduct"/>).
    /// The rules alone leave the customer out: a third fewer ids to read and parse, and no list of every line kept.
    /// </summary>
    public static async Task<ProductBaskets> ReadAsync(IQueryable<Order> orders, bool withCustomers, CancellationToken ct)
    {
        var products = new Dictionary<Guid, int>();
        var customers = new Dictionary<Guid, int>();
        var bought = new List<long>(); // product number << 32 | customer number, one per line
        var baskets = new List<int[]>();
        var basket = new List<int>();
        var single = new Dictionary<int, int[]>(); // one array per product for all the orders of that product alone
        int[] Close() => basket.Count == 1 ? single.TryGetValue(basket[0], out var one) ? one : single[basket[0]] = [basket[0]] : [.. basket];
        Guid? current = null;
        var lines = orders.SelectMany(o => o.Lines, (o, l) => new { o.Id, o.OrganizationId, l.ProductId }).Where(l => l.ProductId != null).OrderBy(l => l.Id);
        var read = withCustomers ? lines.Select(l => new Line(l.Id, l.ProductId!.Value, l.OrganizationId)) : lines.Select(l => new Line(l.Id, l.ProductId!.Value, null));
        await foreach (var line in read.AsAsyncEnumerable().WithCancellation(ct))
        {
            if (line.Order != current && basket.Count > 0)
            {
                baskets.Add(Close());
                basket.Clear();
            }
            current = line.Order;
            var product = Number(products, line.Product);
            if (!basket.Contains(product)) basket.Add(product);
            if (line.Customer is { } customer) bought.Add((long)product << 32 | (uint)Number(customers, customer));
        }
        if (basket.Count > 0) baskets.Add(Close());
        var ids = new Guid[products.Count];
        foreach (var (id, number) in products) ids[number] = id;
        // Who bought what is counted here and let go: one long per order line is more than the baskets themselves.
        bought.Sort();
        var counts = new int[products.Count];
        for (var i = 0; i < bought.Count; i++)
            if (i == 0 || bought[i] != bought[i - 1]) counts[bought[i] >> 32]++;
        return new ProductBaskets(baskets, [.. ids], counts, customers.Count);
    }

    private sealed record Line(Guid Order, Guid Product, Guid? Customer);

    /// <summary>The id's number: the next free one for an id not seen before.</summary>
    internal static int Number(Dictionary<Guid, int> numbers, Guid id)
    {
        ref var number = ref CollectionsMarshal.GetValueRefOrAddDefault(numbers, id, out var known);
        if (!known) number = numbers.Count - 1;
        return number;
    }
}

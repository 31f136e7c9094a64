using System.Globalization;
using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Motiv.Core;
using Motiv.Core.Audit;
using Motiv.Core.Common;
using Motiv.Core.Customers;
using Motiv.Core.Search;
using Motiv.Web.Auth;
using Motiv.Web.Components.Customers;
using Motiv.Web.Components.Shared;
using MudBlazor;
using MudBlazor.Services;

namespace Motiv.Web.Tests;

/// <summary>
/// bUnit tests of the main components, rendered against a real Motiv (SQLite) with the services a
/// signed-in user's circuit has.
/// </summary>
public sealed class ComponentTests(ApiWorld worlds) : IClassFixture<ApiWorld>, IAsyncDisposable
{
    private readonly BunitContext _ctx = new();
    private AsyncServiceScope _scope;

    /// <summary>Culture changes made inside an async method do not flow back to the caller, so tests call this first.</summary>
    private static void UseCulture(string culture) => CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);

    private async Task<World> RenderAsAsync(Func<World, Guid> user)
    {
        BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(15); // the whole suite shares two cores
        var w = await worlds.GetAsync(TestDatabase.Sqlite);
        _scope = w.Factory.Services.CreateAsyncScope();
        var sp = _scope.ServiceProvider;
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user(w).ToString())], "test"));
        Assert.True(await sp.GetRequiredService<CurrentUser>().LoadAsync(principal));
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _ctx.Services.AddLocalization();
        foreach (var type in new[] { typeof(CurrentUser), typeof(OrganizationService), typeof(PersonService), typeof(DuplicateService), typeof(RelationshipService), typeof(RecycleBinService), typeof(AuditService), typeof(SearchService), typeof(Core.Identity.UserAdminService), typeof(Motiv.Core.CustomFields.CustomFieldService), typeof(Motiv.Core.Views.ViewService), typeof(Core.Sales.DealService), typeof(Core.Sales.PipelineService),
                     typeof(Core.Sales.LeadService), typeof(Core.Sales.QuoteService), typeof(Core.Sales.OrderService), typeof(Core.Sales.ProductService), typeof(Core.Sales.PriceListService),
                     typeof(Core.Sales.ForecastService), typeof(Core.Sales.ExchangeRateService), typeof(SettingsService), typeof(Core.Communication.InteractionService), typeof(Core.Communication.MailService), typeof(Core.Activities.TaskService), typeof(Microsoft.Extensions.Options.IOptions<Core.Sales.SalesOptions>),
                     typeof(Core.Communication.ConsentService), typeof(Core.Communication.MailboxService), typeof(Core.Communication.WebFormService), typeof(Core.Integration.WebhookService),
                     typeof(Core.Empathy.MotiveService), typeof(Core.Empathy.MotiveTaxonomyService), typeof(Core.Empathy.HealthService), typeof(Core.Empathy.NextBestActionService),
                     typeof(Microsoft.Extensions.Options.IOptions<Core.Communication.LinkOptions>) })
            _ctx.Services.AddSingleton(type, sp.GetRequiredService(type));
        _ctx.Render<MudPopoverProvider>();
        return w;
    }

    [Fact]
    public async Task Organisation_page_shows_fields_people_and_history_and_renders_hostile_text_inert()
    {
        UseCulture("en");
        var w = await RenderAsAsync(w => w.SalesA);
        var hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>";
        var org = await _ctx.Services.GetRequiredService<OrganizationService>().CreateAsync(new OrganizationInput
        {
            Name = "Inert " + hostile, Roles = [OrganizationRoles.Partner, OrganizationRoles.Customer], VatId = "DE136695976", Notes = hostile,
            Phones = [new PhoneNumber("030 1234567")],
        });
        await _ctx.Services.GetRequiredService<PersonService>().CreateAsync(new PersonInput
        {
            FirstName = "Lena", LastName = "Vogel", Employments = [new EmploymentInput(org.Id, "Einkauf", IsPrimary: true)],
        });

        var page = _ctx.Render<OrganizationDetail>(p => p.Add(x => x.Id, org.Id));
        page.WaitForAssertion(() => Assert.Contains("Inert", page.Find("[data-testid=record-title]").TextContent));
        Assert.Empty(page.FindAll("script"));
        Assert.Empty(page.FindAll("img[src=x]"));
        Assert.Contains("&lt;script&gt;", page.Find("[data-testid=notes]").InnerHtml);
        Assert.Contains("Partner", page.Markup);
        Assert.Contains("Customer", page.Markup);
        Assert.Contains("+49 30 1234567", page.Markup); // an English-speaking viewer sees the international form
        Assert.Contains("DE136695976", page.Markup);

        page.FindAll(".mud-tab").Single(t => t.TextContent.StartsWith("People")).Click();
        page.WaitForAssertion(() => Assert.Contains("Lena Vogel", page.Find("[data-testid=org-people]").TextContent));
        page.FindAll(".mud-tab").Single(t => t.TextContent == "History").Click();
        page.WaitForAssertion(() => Assert.Contains("sales.a", page.Find("[data-testid=history]").TextContent));
        Assert.Contains("Created", page.Find("[data-testid=history]").TextContent);
    }

    [Fact]
    public async Task Organisation_list_pages_with_the_keyset_pager_and_filters_by_role()
    {
        UseCulture("de-DE");
        var w = await RenderAsAsync(w => w.Manager);
        var tag = "liste" + Guid.CreateVersion7().ToString("N")[^6..];
        var service = _ctx.Services.GetRequiredService<OrganizationService>();
        for (var i = 0; i < 30; i++)
            await service.CreateAsync(new OrganizationInput { Name = $"Listenfirma {i:D2}", Tags = [tag], Roles = [i % 3 == 0 ? OrganizationRoles.Partner : OrganizationRoles.Customer] });

        var list = _ctx.Render<OrganizationList>();
        list.WaitForAssertion(() => Assert.NotEmpty(list.FindAll("tbody tr")));
        Assert.Contains("Organisationen", list.Find("h1").TextContent);
        var tagFilter = list.FindAll("input").First(i => i.ParentElement!.ParentElement!.TextContent.Contains("Schlagwörter"));
        tagFilter.Input(tag);
        list.WaitForAssertion(() => Assert.Equal("1–25 von 30", list.Find("[data-testid=pager-range]").TextContent.Trim()), TimeSpan.FromSeconds(15));
        list.Find("[data-testid=pager-next]").Click();
        list.WaitForAssertion(() => Assert.Equal("26–30 von 30", list.Find("[data-testid=pager-range]").TextContent.Trim()), TimeSpan.FromSeconds(15));
        Assert.Equal(5, list.FindAll("tbody tr").Count);
    }

    [Fact]
    public async Task Pages_do_not_show_what_the_user_may_not_see()
    {
        UseCulture("en");
        var w = await RenderAsAsync(w => w.SalesA);
        var secret = "Verborgen " + Guid.CreateVersion7().ToString("N")[^6..];
        Guid hidden;
        await using (var sys = w.Factory.SystemDb())
        {
            var org = new Organization { Name = secret, OwnerId = w.SalesB, TeamId = w.TeamB, Visibility = Visibility.Private, Tags = TagList.ToStored([secret]) };
            sys.Organizations.Add(org);
            await sys.SaveChangesAsync();
            hidden = org.Id;
        }
        var page = _ctx.Render<OrganizationDetail>(p => p.Add(x => x.Id, hidden));
        page.WaitForAssertion(() => Assert.Contains("The record was not found.", page.Markup));
        Assert.DoesNotContain(secret, page.Markup);

        var list = _ctx.Render<OrganizationList>();
        list.WaitForAssertion(() => Assert.NotEmpty(list.FindAll("[data-testid=pager-range]")));
        list.FindAll("input").First(i => i.ParentElement!.ParentElement!.TextContent.Contains("Tags")).Input(secret);
        list.WaitForAssertion(() => Assert.Equal("0–0 of 0", list.Find("[data-testid=pager-range]").TextContent.Trim()));
        Assert.DoesNotContain(secret, list.Markup.Replace($"value=\"{secret}\"", ""));

        Assert.Empty(await _ctx.Services.GetRequiredService<SearchService>().SearchAsync(secret));
    }

    [Fact]
    public async Task Conflict_alert_names_who_changed_what()
    {
        UseCulture("en");
        await RenderAsAsync(w => w.SalesA);
        var conflict = new ConcurrencyException("organization", Guid.CreateVersion7(), 1, 2,
            [new HistoryEntry(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero), Guid.Empty, "Bea Berger", AuditAction.Updated, 2, [new FieldChange("industry", "Bau", "Handel")])]);
        var alert = _ctx.Render<ConflictAlert>(p => p.Add(x => x.Conflict, conflict));
        var text = alert.Find("[data-testid=conflict]").TextContent;
        Assert.Contains("Someone else changed this record", text);
        Assert.Contains("Bea Berger changed Industry", text);
        Assert.Contains("\"Bau\" → \"Handel\"", text);
    }

    [Fact]
    public async Task Editor_shows_the_servers_field_errors_next_to_the_fields()
    {
        UseCulture("en");
        await RenderAsAsync(w => w.SalesA);
        var host = _ctx.Render<MudDialogProvider>();
        var dialogs = _ctx.Services.GetRequiredService<IDialogService>();
        await host.InvokeAsync(() => dialogs.ShowAsync<OrganizationEditor>("New"));
        host.WaitForAssertion(() => Assert.NotEmpty(host.FindAll("[data-testid=save]")));
        host.Find("input[data-testid=org-vat]").Change("DE000");
        host.Find("[data-testid=save]").Click();
        host.WaitForAssertion(() =>
        {
            Assert.Contains("This field is required.", host.Markup);
            Assert.Contains("This is not a valid VAT ID", host.Markup);
        });
    }

    [Fact]
    public async Task Custom_fields_appear_in_the_editor_and_on_the_page_in_the_users_language()
    {
        UseCulture("de-DE");
        var w = await RenderAsAsync(w => w.Admin);
        var key = "umsatz" + Guid.CreateVersion7().ToString("N")[^6..];
        await _ctx.Services.GetRequiredService<Motiv.Core.CustomFields.CustomFieldService>().SaveAsync(null, new Motiv.Core.CustomFields.CustomFieldInput
        {
            RecordType = Organization.Type, Key = key, LabelEn = "Revenue", LabelDe = "Jahresumsatz", Type = Motiv.Core.CustomFields.CustomFieldType.Number,
        });
        var host = _ctx.Render<MudDialogProvider>();
        var dialogs = _ctx.Services.GetRequiredService<IDialogService>();
        IDialogReference? dialog = null;
        await host.InvokeAsync(async () => dialog = await dialogs.ShowAsync<OrganizationEditor>("Neu"));
        host.WaitForAssertion(() => Assert.Contains("Jahresumsatz", host.Markup));
        host.Find("input[data-testid=org-name]").Change("Feldfirma GmbH");
        host.Find($"input[data-testid=cf-{key}]").Change("1234,5");
        host.Find("[data-testid=save]").Click();
        var result = await dialog!.Result;
        var saved = Assert.IsType<OrganizationDto>(result!.Data);
        Assert.Equal(1234.5m, saved.CustomFields[key]);

        var page = _ctx.Render<OrganizationDetail>(p => p.Add(x => x.Id, saved.Id));
        page.WaitForAssertion(() => Assert.Equal("1.234,5", page.Find($"[data-testid=cf-view-{key}]").TextContent));
        Assert.Contains("Jahresumsatz", page.Markup);
    }

    public async ValueTask DisposeAsync()
    {
        await _ctx.DisposeAsync();
        await _scope.DisposeAsync();
    }

    [Fact]
    public async Task The_board_shows_column_totals_marks_rotting_deals_and_a_drop_moves_a_deal()
    {
        UseCulture("de-DE");
        var w = await RenderAsAsync(w => w.SalesA);
        var tag = "brett" + Guid.CreateVersion7().ToString("N")[^6..];
        var deals = _ctx.Services.GetRequiredService<Core.Sales.DealService>();
        var pipeline = (await _ctx.Services.GetRequiredService<Core.Sales.PipelineService>().ListAsync())[0];
        var fresh = await deals.CreateAsync(new Core.Sales.DealInput { Title = "Frisch", Amount = 1000, PipelineId = pipeline.Id, Tags = [tag] });
        var old = await deals.CreateAsync(new Core.Sales.DealInput { Title = "Alt", Amount = 3000.5m, PipelineId = pipeline.Id, Tags = [tag], Probability = 50 });
        await using (var sys = w.Factory.SystemDb())
            await sys.Deals.Where(d => d.Id == old.Id).ExecuteUpdateAsync(x => x.SetProperty(d => d.StageEnteredAt, w.Factory.Clock.GetUtcNow().AddDays(-30)));

        var board = _ctx.Render<Components.Sales.DealBoard>();
        board.WaitForAssertion(() => Assert.NotEmpty(board.FindAll("[data-testid=column-0]")));
        board.Find("input[data-testid=filter-tag]").Change(tag);
        board.WaitForAssertion(() => Assert.Equal("2", board.Find("[data-testid=column-0] [data-testid=column-count]").TextContent.Trim()));
        var first = board.Find("[data-testid=column-0]");
        Assert.Contains("4.000,50 EUR", first.QuerySelector("[data-testid=column-sum]")!.TextContent);
        Assert.Contains("1.600,25 EUR", first.QuerySelector("[data-testid=column-weighted]")!.TextContent); // 10 % of 1,000 + 50 % of 3,000.50
        var rotting = Assert.Single(board.FindAll("[data-testid=rotting]"));
        Assert.Contains("30 Tagen", rotting.TextContent);

        var second = pipeline.Stages[1];
        var container = board.FindComponent<MudDropContainer<Core.Sales.DealCard>>();
        await board.InvokeAsync(() => container.Instance.ItemDropped.InvokeAsync(new MudItemDropInfo<Core.Sales.DealCard>(
            new Core.Sales.DealCard(fresh.Id, fresh.StageId, fresh.Title, null, new Money(1000, "EUR"), new Money(1000, "EUR"), 10, null, w.SalesA, false, 0, fresh.Version),
            second.Id.ToString(), 0)));
        board.WaitForAssertion(() => Assert.Equal("1", board.Find("[data-testid=column-1] [data-testid=column-count]").TextContent.Trim()));
        Assert.Contains("250,00 EUR", board.Find("[data-testid=column-1] [data-testid=column-weighted]").TextContent);
        Assert.Equal("1", board.Find("[data-testid=column-0] [data-testid=column-count]").TextContent.Trim());
        Assert.Equal(second.Id, (await deals.GetAsync(fresh.Id)).StageId);
    }

    public static TheoryData<string> SalesPages => new(["LeadList", "DealList", "DealBoard", "QuoteList", "OrderList", "ProductList", "ForecastPage", "SalesSettings"]);

    [Theory, MemberData(nameof(SalesPages))]
    public async Task Every_sales_page_renders_its_data_for_an_administrator(string page)
    {
        UseCulture("de-DE");
        var w = await RenderAsAsync(w => w.Admin);
        var pipeline = (await _ctx.Services.GetRequiredService<Core.Sales.PipelineService>().ListAsync())[0];
        var org = await _ctx.Services.GetRequiredService<OrganizationService>().CreateAsync(new OrganizationInput { Name = "Seitenkunde GmbH" });
        await _ctx.Services.GetRequiredService<Core.Sales.DealService>().CreateAsync(new Core.Sales.DealInput { Title = "Seitendeal", Amount = 1234, PipelineId = pipeline.Id, OrganizationId = org.Id, ExpectedCloseDate = new DateOnly(2026, 12, 1) });
        await _ctx.Services.GetRequiredService<Core.Sales.LeadService>().CreateAsync(new Core.Sales.LeadInput { LastName = "Seitenlead", CompanyName = "Seiten AG" });
        var quote = await _ctx.Services.GetRequiredService<Core.Sales.QuoteService>().CreateAsync(new Core.Sales.QuoteInput
        {
            OrganizationId = org.Id, Status = Core.Sales.QuoteStatus.Accepted, Lines = [new Core.Sales.LineInput(null, "Beratung", null, "Tag", 2, 1000, null, 19)],
        });
        await _ctx.Services.GetRequiredService<Core.Sales.OrderService>().CreateFromQuoteAsync(quote.Id, quote.Version);
        var type = typeof(Components.Sales.DealBoard).Assembly.GetTypes().Single(t => t.Name == page && typeof(IComponent).IsAssignableFrom(t));
        var rendered = _ctx.Render(b => { b.OpenComponent(0, type); b.CloseComponent(); });
        rendered.WaitForAssertion(() => Assert.NotEmpty(rendered.FindAll("h1")));
        var expected = page switch
        {
            "LeadList" => "Seitenlead",
            "DealList" or "DealBoard" => "Seitendeal",
            "QuoteList" => quote.Number,
            "OrderList" => "AB-2026-",
            "ProductList" => "Artikelnummer",
            "ForecastPage" => "2026-12",
            _ => "Briefkopf",
        };
        rendered.WaitForAssertion(() => Assert.Contains(expected, rendered.Markup));
    }

    [Fact]
    public async Task A_timeline_shows_entries_newest_first_renders_hostile_text_inert_and_filters_by_channel()
    {
        UseCulture("en");
        var w = await RenderAsAsync(w => w.SalesA);
        var interactions = _ctx.Services.GetRequiredService<Core.Communication.InteractionService>();
        var person = await _ctx.Services.GetRequiredService<PersonService>().CreateAsync(new PersonInput { FirstName = "Tom", LastName = "Timeline" });
        var at = w.Factory.Clock.GetUtcNow();
        await interactions.CreateAsync(new Core.Communication.InteractionInput
        {
            Channel = Core.Communication.InteractionChannel.Phone, Subject = "<img src=x onerror=alert(1)> Anruf", Body = "<script>alert(2)</script>Hat zurückgerufen.",
            PersonIds = [person.Id], OccurredAt = at.AddHours(-2), DurationMinutes = 7,
        });
        await interactions.CreateAsync(new Core.Communication.InteractionInput { Channel = Core.Communication.InteractionChannel.Note, Subject = "Neueste Notiz", PersonIds = [person.Id], OccurredAt = at });

        var timeline = _ctx.Render<Components.Communication.Timeline>(p => p.Add(x => x.RecordType, Person.Type).Add(x => x.RecordId, person.Id));
        timeline.WaitForAssertion(() => Assert.Equal(2, timeline.FindAll("[data-testid=timeline-item]").Count));
        var items = timeline.FindAll("[data-testid=timeline-item]");
        Assert.Contains("Neueste Notiz", items[0].TextContent);
        Assert.Contains("7 min", items[1].TextContent);
        Assert.Empty(timeline.FindAll("[data-testid=timeline] img"));
        Assert.Empty(timeline.FindAll("[data-testid=timeline] script"));
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt; Anruf", timeline.Find("[data-testid=timeline]").InnerHtml);

        timeline.FindAll(".mud-chip").First(c => c.TextContent.Contains("Call")).Click();
        timeline.WaitForAssertion(() => Assert.Single(timeline.FindAll("[data-testid=timeline-item]")));
        Assert.Contains("Anruf", timeline.Find("[data-testid=timeline-item]").TextContent);
    }

    [Fact]
    public async Task The_motive_panel_shows_the_profile_and_quotes_inert_and_a_rejection_changes_the_profile()
    {
        UseCulture("en");
        var w = await RenderAsAsync(w => w.SalesA);
        var person = await _ctx.Services.GetRequiredService<PersonService>().CreateAsync(new PersonInput { FirstName = "Mona", LastName = "Motiv" });
        await using (var sys = w.Factory.SystemDb())
        {
            // Plain text as a mail brings it, angle brackets included.
            foreach (var text in new[] { "Ausfallsicherheit <script>alert(1)</script> ist uns das Wichtigste.", "Wir brauchen Referenzen und eine Garantie." })
            {
                var mail = new Core.Communication.Interaction
                {
                    Channel = Core.Communication.InteractionChannel.Email, Direction = Core.Communication.InteractionDirection.Inbound, Subject = "Mail", BodyText = text,
                    OccurredAt = w.Factory.Clock.GetUtcNow(), OwnerId = w.SalesA, Visibility = Visibility.Everyone,
                };
                mail.Participants.Add(new Core.Communication.InteractionParticipant { InteractionId = mail.Id, PersonId = person.Id });
                sys.Interactions.Add(mail);
            }
            await sys.SaveChangesAsync();
            await Core.Empathy.MotiveService.CatchUpAsync(sys);
        }

        var panel = _ctx.Render<Components.Empathy.MotivePanel>(p => p.Add(x => x.PersonId, person.Id));
        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll("[data-testid=evidence-item]").Count));
        var score = panel.Find("[data-testid=motive-row][data-motive=security] [data-testid=motive-score]").TextContent;
        Assert.Matches(@"\d\.\d / 5", score);
        Assert.Empty(panel.FindAll("[data-testid=evidence] script"));
        Assert.Contains("&lt;script&gt;", panel.Find("[data-testid=evidence]").InnerHtml);

        panel.FindAll("[data-testid=evidence-item]")[0].QuerySelector("button[data-testid=evidence-reject]")!.Click();
        panel.WaitForAssertion(() => Assert.Single(panel.FindAll("[data-testid=evidence-item][data-status=Rejected]")));
        panel.WaitForAssertion(() => Assert.NotEqual(score, panel.Find("[data-testid=motive-row][data-motive=security] [data-testid=motive-score]").TextContent));
    }

    [Fact]
    public async Task The_motive_panel_tells_a_role_without_motive_data_so_and_the_health_panel_shows_its_components()
    {
        UseCulture("de");
        var w = await RenderAsAsync(w => w.ReadOnly);
        var person = new Person { FirstName = "Rita", LastName = "Readonly", Visibility = Visibility.Everyone, OwnerId = w.SalesA };
        await using (var sys = w.Factory.SystemDb())
        {
            sys.People.Add(person);
            await sys.SaveChangesAsync();
        }
        var panel = _ctx.Render<Components.Empathy.MotivePanel>(p => p.Add(x => x.PersonId, person.Id));
        panel.WaitForAssertion(() => Assert.Contains("Motivdaten", panel.Find("[data-testid=motives-denied]").TextContent));
        Assert.Empty(panel.FindAll("[data-testid=motive-profile]"));
        var health = _ctx.Render<Components.Empathy.HealthPanel>(p => p.Add(x => x.SubjectType, Person.Type).Add(x => x.SubjectId, person.Id));
        health.WaitForAssertion(() => Assert.Contains("Aktualität", health.Markup));
    }

    [Fact]
    public async Task The_motive_settings_page_names_a_wrong_field_of_a_new_dimension_and_saves_nothing()
    {
        UseCulture("en");
        var w = await RenderAsAsync(w => w.Admin);
        var page = _ctx.Render<Components.Admin.MotiveSettings>();
        page.WaitForAssertion(() => Assert.Equal(7, page.FindAll("[data-testid=motive-dimension]").Count));
        Assert.Contains(page.FindAll("[data-testid=motive-role]"), r => r.GetAttribute("data-role") == "ReadOnly");
        var before = await w.Factory.FingerprintAsync();
        page.Find("button[data-testid=add-dimension]").Click();
        page.WaitForAssertion(() => Assert.Equal(8, page.FindAll("[data-testid=motive-dimension]").Count));
        page.Find("button[data-testid=motives-save]").Click();
        page.WaitForAssertion(() => Assert.Contains(page.FindAll(".mud-input-error"), e => e.TextContent.Contains(Text.Get("Validation.Code"))));
        Assert.Equal(before, await w.Factory.FingerprintAsync());
    }

    [Fact]
    public async Task The_consent_panel_shows_the_state_per_channel_and_purpose_the_history_inert_and_names_a_missing_field()
    {
        UseCulture("en");
        await RenderAsAsync(w => w.SalesA);
        var consents = _ctx.Services.GetRequiredService<Core.Communication.ConsentService>();
        var person = await _ctx.Services.GetRequiredService<PersonService>().CreateAsync(new PersonInput { FirstName = "Clara", LastName = "Consent" });
        await consents.RecordAsync(person.Id, new Core.Communication.ConsentInput(Core.Communication.ConsentChannel.Email, Core.Communication.ConsentPurpose.Newsletter, "grant",
            Core.Communication.LegalBasis.Consent, "<b>Messe</b>", "Ja, Newsletter <script>alert(1)</script>", "de"));
        await consents.RecordAsync(person.Id, new Core.Communication.ConsentInput(Core.Communication.ConsentChannel.Phone, Core.Communication.ConsentPurpose.Events, "withdraw",
            Core.Communication.LegalBasis.LegitimateInterest, "Telefonat", null, null));

        var panel = _ctx.Render<Components.Communication.ConsentPanel>(p => p.Add(x => x.PersonId, person.Id));
        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll("[data-testid=consent-entry]").Count));
        var newsletter = panel.Find("[data-testid=consent-state][data-channel=Email][data-purpose=Newsletter]");
        Assert.Contains("consent", newsletter.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("allowed", newsletter.GetAttribute("title"));
        Assert.Contains("withdrawn", panel.Find("[data-testid=consent-state][data-channel=Phone][data-purpose=Events]").GetAttribute("title"));
        Assert.Empty(panel.FindAll("[data-testid=consent-history] script"));
        Assert.Empty(panel.FindAll("[data-testid=consent-history] b"));
        Assert.Contains("&lt;script&gt;", panel.Find("[data-testid=consent-history]").InnerHtml);

        // Saving without a source names the field; nothing is added.
        panel.Find("button[data-testid=consent-save]").Click();
        panel.WaitForAssertion(() => Assert.Contains(panel.FindAll(".mud-input-error"), e => e.TextContent.Contains(Text.Get("Validation.Required"))));
        Assert.Equal(2, (await consents.GetAsync(person.Id)).History.Count);
    }

    [Fact]
    public async Task The_mailbox_page_shows_mail_from_strangers_inert_and_the_reconciliation_of_each_folder()
    {
        UseCulture("de");
        await RenderAsAsync(w => w.SalesA2);
        var mailboxes = _ctx.Services.GetRequiredService<Core.Communication.MailboxService>();
        var box = await mailboxes.SaveAsync(null, new Core.Communication.MailboxInput("Komponententest", "komponente@motiv.test", "93.184.216.34", 993, Core.Communication.MailSecurity.None,
            "komponente", "geheim", ["INBOX", "Sent"], false, null, null, true));
        var stranger = new MimeKit.MimeMessage { Subject = "<img src=x onerror=alert(1)> Anfrage", Date = new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero) };
        stranger.From.Add(new MimeKit.MailboxAddress("Fremde Person", $"fremd.{Guid.CreateVersion7():N}@neu.example"));
        stranger.Body = new MimeKit.TextPart("plain") { Text = "Bitte um Angebot <script>alert(2)</script>" };
        using var eml = new MemoryStream();
        await stranger.WriteToAsync(eml);
        eml.Position = 0;
        await mailboxes.ImportEmlAsync(eml);

        var page = _ctx.Render<Components.Communication.MailboxPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=review-item]")));
        var item = page.FindAll("[data-testid=review-item]").First(i => i.TextContent.Contains("Anfrage"));
        Assert.Empty(item.QuerySelectorAll("img"));
        Assert.Empty(item.QuerySelectorAll("script"));
        Assert.Contains("&lt;img", item.InnerHtml);
        Assert.Contains("Person anlegen", item.TextContent);
        var table = page.Find("[data-testid=reconciliation]");
        Assert.Contains("Auf dem Server", table.TextContent);
        Assert.Contains("INBOX", table.TextContent);
        Assert.Contains("Sent", table.TextContent);
        Assert.Contains("nie", table.TextContent);
        Assert.Contains(box.Name, page.Markup);
    }

    [Fact]
    public async Task The_admin_pages_list_web_forms_with_their_embed_snippet_and_refuse_an_internal_webhook_address_at_the_field()
    {
        UseCulture("en");
        await RenderAsAsync(w => w.Admin);
        var slug = "komponente-" + Guid.CreateVersion7().ToString("N")[^6..];
        await _ctx.Services.GetRequiredService<Core.Communication.WebFormService>().SaveAsync(null, new Core.Communication.WebFormInput(slug, "Komponentenformular", "Titel", "Title",
            null, null, [new("lastName", "Name", "Name", true), new("email", "E-Mail", "E-mail", true)], [], null, null, true));
        var forms = _ctx.Render<Components.Admin.FormSettings>();
        forms.WaitForAssertion(() => Assert.Contains("Komponentenformular", forms.Find("[data-testid=forms]").TextContent));
        Assert.Contains(forms.FindAll("textarea"), t => (t.GetAttribute("value") ?? t.TextContent).Contains($"/forms/{slug}\""));

        var hooks = _ctx.Render<Components.Admin.WebhookSettings>();
        hooks.Find("input[data-testid=webhook-name]").Change("Intern");
        hooks.Find("input[data-testid=webhook-url]").Change("http://0x7f.0.0.1:8080/");
        foreach (var box in hooks.FindAll("input[type=checkbox]").Take(1)) box.Change(true);
        hooks.Find("button[data-testid=webhook-save]").Click();
        hooks.WaitForAssertion(() => Assert.Contains(hooks.FindAll(".mud-input-error"), e => e.TextContent.Contains("127.0.0.1")));
    }
}

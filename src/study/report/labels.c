/* Every word of report.html, in English and in Dutch (report.language),
 * and the numbers as each language writes them: "12,345" and "0.9 %" in
 * English, "12.345" and "0,9 %" in Dutch. A text with printf directives
 * is a format; both languages have the same directives in the same order,
 * which tests/study/test_report.c checks for every key. Texts may hold
 * HTML entities (&times;, &ndash;); names put into them by the code are
 * escaped first. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "study/report/report.h"

typedef struct label_row {
    const char *text[RTI_N_LANGS]; /* en, nl */
} label_row;

static const label_row LABELS[RTI_N_LABELS] = {
    [RTI_L_CONTENTS] = {{"Contents", "Inhoud"}},
    [RTI_L_MADE_WITH] = {{"Made with reistijd %s.", "Gemaakt met reistijd %s."}},

    /* overview */
    [RTI_L_OVERVIEW] = {{"Overview", "Overzicht"}},
    [RTI_L_OVERVIEW_INTRO] =
        {{"Travel time from every cell of a grid of %d &times; %d cells of %s m to the nearest "
          "facility of each type, and per region the population-weighted statistics and the "
          "share of the population beyond the norms.",
          "Reistijd vanuit elke cel van een raster van %d &times; %d cellen van %s m naar de "
          "dichtstbijzijnde voorziening van elk type, en per gebied de naar inwoners gewogen "
          "reistijden en het aandeel inwoners buiten de normen."}},
    [RTI_L_MEDIUM_DESCRIPTION] = {{"Medium: ", "Vervoersmodel: "}},
    [RTI_L_POP_ON_GRID] = {{"Population on the grid: %s persons.", "Inwoners op het raster: %s."}},
    [RTI_L_POP_IN_REGIONS] = {{" %s of them live in the regions of %s: the table below counts "
                               "everyone on the grid, which reaches beyond the regions; the "
                               "tables per region count the regions' inhabitants.",
                               " Daarvan wonen er %s in de gebieden (%s): de tabel hieronder "
                               "telt iedereen op het raster, dat verder reikt dan de gebieden; "
                               "de tabellen per gebied tellen de inwoners van de gebieden."}},
    [RTI_L_NO_POPULATION] =
        {{"No population was given: every statistic weighs every cell equally, so "
          "&ldquo;population&rdquo; counts cells.",
          "Er zijn geen inwonersaantallen opgegeven: elke statistiek weegt elke cel even "
          "zwaar, dus &lsquo;inwoners&rsquo; telt cellen."}},
    [RTI_L_TH_FACILITY_TYPE] = {{"Facility type", "Soort voorziening"}},
    [RTI_L_TH_FACILITIES_USED] = {{"Facilities used", "Meegeteld"}},
    [RTI_L_TH_MOVED] = {{"Moved", "Verschoven"}},
    [RTI_L_TH_LEFT_OUT] = {{"Left out", "Niet meegeteld"}},
    [RTI_L_TH_NORM] = {{"Norm", "Norm"}},
    [RTI_L_TH_WITHIN_NORM] = {{"Share of the population within the norm",
                               "Aandeel inwoners binnen de norm"}},
    [RTI_L_TH_BEYOND_NORM] = {{"Inhabitants beyond the norm", "Aantal inwoners buiten de norm"}},
    [RTI_L_N_OF_N] = {{"%lld of %lld", "%lld van %lld"}},
    [RTI_L_NONE] = {{"none", "geen"}},
    [RTI_L_OVERVIEW_NOTE] =
        {{"The colours and classes of the travel-time and distance maps follow from the norms of "
          "each facility type, not from the data, so that runs of the same study can be compared "
          "map by map. The .qml files "
          "beside the GeoTIFFs and the styles in reistijd.gpkg use the same classes and "
          "colours in QGIS.",
          "De kleuren en klassen van de reistijd- en afstandskaarten volgen uit de normen van "
          "elke voorziening, niet uit de gegevens, zodat berekeningen van dezelfde studie kaart "
          "voor kaart te "
          "vergelijken zijn. De .qml-bestanden naast de GeoTIFFs en de stijlen in "
          "reistijd.gpkg geven in QGIS dezelfde klassen en kleuren."}},
    [RTI_L_OVERVIEW_MOVED] =
        {{"Moved: facilities used that lay on no passable cell or road and were moved to the "
          "nearest one; how far is in the table of each type's facilities.",
          "Verschoven: meegetelde locaties die niet op een begaanbare cel of weg lagen en naar "
          "de dichtstbijzijnde zijn verplaatst; hoe ver staat in de tabel met de locaties van "
          "elk type."}},

    /* units */
    [RTI_L_UNIT_MIN] = {{"min", "min"}},
    [RTI_L_UNIT_KM] = {{"km", "km"}},
    [RTI_L_UNIT_KMH] = {{"km/h", "km/u"}},
    [RTI_L_INHABITANTS] = {{"inhabitants", "inwoners"}},
    [RTI_L_PERCENT] = {{"%s %%", "%s %%"}},
    [RTI_L_NORM_MIN] = {{"%smin", "%s min"}},
    [RTI_L_NORM_KM] = {{"%skm", "%s km"}},

    /* maps and legends */
    [RTI_L_MAP_ALT] =
        {{"Map of the travel time to the nearest %s in minutes, with the region "
          "borders and the facilities",
          "Kaart van de reistijd in minuten tot de dichtstbijzijnde voorziening (%s), "
          "met de gebiedsgrenzen en de voorzieningen"}},
    [RTI_L_NO_ROUTE] = {{"no route (water, impassable)", "geen route (water, onbegaanbaar)"}},
    [RTI_L_FACILITY] = {{"facility", "voorziening"}},
    [RTI_L_MAP_CAPTION] = {{"Travel time in minutes on cells of %s m; borders: %s. Data: ",
                            "Reistijd in minuten op cellen van %s m; grenzen: %s. Bronnen: "}},
    [RTI_L_MAP_FILE] = {{" File: <code>%s</code>.", " Bestand: <code>%s</code>."}},
    [RTI_L_LEGEND_ZERO] = {{"0 %s", "0 %s"}},
    [RTI_L_LEGEND_UP_TO] = {{"up to %s %s", "t/m %s %s"}},
    [RTI_L_LEGEND_OVER] = {{"over %s %s", "meer dan %s %s"}},
    [RTI_L_LEGEND_RANGE] = {{"%s\xe2\x80\x93%s %s", "%s\xe2\x80\x93%s %s"}},
    [RTI_L_LEGEND_NORM] = {{" (the %s norm)", " (norm %s)"}},
    [RTI_L_LEGEND_AT_LEAST] = {{"%s or more", "%s of meer"}},
    [RTI_L_NO_INHABITANTS] = {{"no population", "geen inwoners"}},
    [RTI_L_NOBODY_ROUTE] = {{"nobody with a route", "niemand met een route"}},

    /* the sections per facility type */
    [RTI_L_TYPE_TITLE] = {{"Travel time to the nearest %s",
                           "Reistijd tot de dichtstbijzijnde voorziening: %s"}},
    [RTI_L_HIST_TITLE] = {{"Population by travel time to the nearest %s",
                           "Inwoners naar reistijd tot de dichtstbijzijnde voorziening: %s"}},
    [RTI_L_HIST_HEADING] = {{"Population by travel time", "Inwoners naar reistijd"}},
    [RTI_L_HIST_CAPTION] =
        {{"Bars: share of the population per interval of travel time (left axis), beyond the "
          "last interval, and without any route. Red line: cumulative share within each travel "
          "time (right axis). Dashed: the norms.",
          "Staven: aandeel van de inwoners per reistijdinterval (linkeras), en apart wie "
          "verder woont dan het laatste interval en wie geen route heeft. Rode lijn: "
          "cumulatief aandeel binnen elke reistijd (rechteras). Stippellijnen: de normen."}},
    [RTI_L_HIST_BAR] = {{"%s of the population", "%s van de inwoners"}},
    [RTI_L_HIST_AXIS] = {{"travel time (min)", "reistijd (min)"}},
    [RTI_L_HIST_NORM] = {{"norm %s", "norm %s"}},

    /* the facilities of a type */
    [RTI_L_FAC_HEADING] = {{"Facilities", "Locaties"}},
    [RTI_L_FAC_USED] = {{"Used: %lld of the %lld facilities.",
                         "Meegeteld: %lld van de %lld locaties."}},
    [RTI_L_FAC_MOVED] = {{" Moved to the nearest passable cell or road, by at most %s m: %lld.",
                          " Verschoven naar de dichtstbijzijnde begaanbare cel of weg, hoogstens "
                          "%s m: %lld."}},
    [RTI_L_FAC_OUTSIDE] =
        {{" Left out because they lie outside the study extent (the bounding box of the regions "
          "widened by %s km): %lld. The margin is there so that facilities just beyond the "
          "regions still count.",
          " Niet meegeteld omdat ze buiten het studiegebied liggen (de kleinste rechthoek om alle "
          "gebieden, %s km ruimer): %lld. Die marge zorgt ervoor dat locaties net buiten de "
          "gebieden wel meetellen."}},
    [RTI_L_FAC_OUTSIDE_BBOX] =
        {{" Left out because they lie outside the study extent (the bounding box of the "
          "regions): %lld.",
          " Niet meegeteld omdat ze buiten het studiegebied liggen (de kleinste rechthoek om alle "
          "gebieden): %lld."}},
    [RTI_L_FAC_OUTSIDE_FIXED] =
        {{" Left out because they lie outside the study extent (study.extent): %lld.",
          " Niet meegeteld omdat ze buiten het studiegebied liggen (study.extent): %lld."}},
    [RTI_L_FAC_NO_START] =
        {{" Left out although within the study extent, because no passable cell or road lies "
          "within reach of them (%s): %lld. Check their coordinates.",
          " Niet meegeteld hoewel binnen het studiegebied, omdat er geen begaanbare cel of weg "
          "binnen bereik ligt (%s): %lld. Controleer hun co&ouml;rdinaten."}},
    [RTI_L_REACH_SNAP] = {{"snap radius %s m", "zoekstraal %s m"}},
    [RTI_L_REACH_ACCESS] = {{"access distance %s m", "aansluitafstand op het wegennet %s m"}},
    [RTI_L_FAC_LEFT_OUT_LIST] = {{"Facilities left out (%lld)",
                                  "Locaties die niet meetellen (%lld)"}},
    [RTI_L_TH_STATUS] = {{"Used", "Meegeteld"}},
    [RTI_L_ST_USED] = {{"yes", "ja"}},
    [RTI_L_ST_MOVED] = {{"yes, moved %s m", "ja, %s m verschoven"}},
    [RTI_L_ST_OUTSIDE] = {{"no: outside the study extent", "nee: buiten het studiegebied"}},
    [RTI_L_ST_NO_START] = {{"no: no passable cell or road within reach",
                            "nee: geen begaanbare cel of weg binnen bereik"}},

    /* the sections per region layer */
    [RTI_L_REGION_TITLE] = {{"Per %s", "Per %s"}},
    [RTI_L_CHORO_MEAN] = {{"%s per %s: population-weighted mean travel time",
                           "%s per %s: gemiddelde reistijd, gewogen naar inwoners"}},
    [RTI_L_CHORO_SHARE] = {{"%s per %s: share of the population beyond %s",
                            "%s per %s: aandeel inwoners buiten de norm van %s"}},
    [RTI_L_CAPTION_MEAN] = {{"Mean travel time (population-weighted)",
                             "Gemiddelde reistijd (gewogen naar inwoners)"}},
    [RTI_L_CAPTION_SHARE] = {{"Share of the population beyond %s",
                              "Aandeel inwoners buiten de norm van %s"}},
    [RTI_L_HOVER_BEYOND] = {{" (%s beyond %s)", " (%s buiten %s)"}},
    [RTI_L_TABLE_CAPTION] =
        {{"%s: travel times weighted by the inhabitants with a route (minutes; p90: the travel "
          "time within which 90 %% of them live), and the share and number of inhabitants "
          "beyond each norm (those without a route included). Click a heading to sort.",
          "%s: reistijden gewogen naar de inwoners met een route (minuten; &lsquo;9 op de 10 "
          "binnen&rsquo;: de reistijd waarbinnen 9 op de 10 van hen wonen), en het aandeel en "
          "aantal inwoners buiten elke norm (wie geen route heeft meegeteld). Klik op een kop "
          "om te sorteren."}},
    [RTI_L_TH_CODE] = {{"Code", "Code"}},
    [RTI_L_TH_NAME] = {{"Name", "Naam"}},
    [RTI_L_TH_POPULATION] = {{"Population", "Inwoners"}},
    [RTI_L_TH_TOTAL] = {{"All regions", "Alle gebieden"}},
    [RTI_L_TH_MEAN] = {{"mean", "gemiddeld"}},
    [RTI_L_TH_P90] = {{"p90", "9 op de 10 binnen"}},
    [RTI_L_REGION_POP] = {{"The regions of %s hold %s of the %s inhabitants on the grid.",
                           "In de gebieden (%s) wonen %s van de %s inwoners op het raster."}},
    [RTI_L_REGION_POP_OTHER] = {{" Those of %s hold %s: the two layers do not cover the same "
                                 "cells (a region holds the cells whose centre lies in it), so "
                                 "their totals differ.",
                                 " In die van %s wonen er %s: de twee indelingen bedekken niet "
                                 "dezelfde cellen (een gebied bevat de cellen waarvan het "
                                 "middelpunt erin ligt), dus hun totalen verschillen."}},
    [RTI_L_TABLE_NOTE] =
        {{"Shaded red: some of the population lives beyond the norm (unreachable cells "
          "included); green: everybody is within it. &ndash;: no population; of the times: "
          "nobody with a route.",
          "Rood: een deel van de inwoners woont buiten de norm (onbereikbare cellen "
          "meegeteld); groen: iedereen woont binnen de norm. &ndash;: geen inwoners; bij de "
          "reistijden: niemand met een route."}},

    [RTI_L_FIND] = {{"Find a %s by code or name", "Zoek een %s op code of naam"}},
    [RTI_L_FIND_FACILITY] = {{"Find a facility by name or code",
                              "Zoek een locatie op naam of code"}},

    /* inputs and parameters */
    [RTI_L_INPUTS] = {{"Inputs and parameters", "Invoer en instellingen"}},
    [RTI_L_KEY_INTRO] = {{"In short:", "In het kort:"}},
    [RTI_L_KEY_BEYOND] = {{"%s: %s (%s) farther than %s from the nearest facility",
                           "%s: %s (%s) verder dan %s van de dichtstbijzijnde voorziening"}},
    [RTI_L_KEY_NOBODY] = {{"%s: everybody lives within %s of the nearest facility.",
                           "%s: iedereen woont binnen %s van de dichtstbijzijnde voorziening."}},
    [RTI_L_KEY_MOST] = {{"; the most of them in %s: %s, %s of the inhabitants there.",
                         "; de meeste in %s: %s, %s van de inwoners daar."}},
    [RTI_L_WARNINGS] = {{"Warnings of this run (%d; also on the screen and in run.json): read "
                         "them before using the figures.",
                         "Waarschuwingen bij deze berekening (%d; ook op het scherm en in "
                         "run.json): lees ze voordat u de cijfers gebruikt."}},
    [RTI_L_INPUTS_INTRO] = {{"As recorded in run.json, which also holds the timings.",
                             "Zoals vastgelegd in run.json, waarin ook de rekentijden staan."}},
    [RTI_L_P_STUDY] = {{"Study", "Studie"}},
    [RTI_L_P_CRS] = {{"CRS", "Coördinatenstelsel"}},
    [RTI_L_P_GRID] = {{"Grid", "Raster"}},
    [RTI_L_P_GRID_VALUE] = {{"%s m, %d columns &times; %d rows",
                             "%s m, %d kolommen &times; %d rijen"}},
    [RTI_L_P_CORNER] = {{"Upper-left corner", "Linkerbovenhoek"}},
    [RTI_L_P_CORNER_VALUE] = {{"x from %s, y to %s (m)", "x vanaf %s, y tot %s (m)"}},
    [RTI_L_P_PASSABLE] = {{"Passable cells", "Begaanbare cellen"}},
    [RTI_L_P_NEIGHBOURS] = {{"Moves per cell (neighbours)", "Bewegingsrichtingen per cel"}},
    [RTI_L_P_SNAP] = {{"Snap radius (how far a facility may be moved)",
                       "Zoekstraal (hoe ver een voorziening verschoven mag worden)"}},
    [RTI_L_P_MEDIUM] = {{"Medium", "Vervoersmodel"}},
    [RTI_L_MEDIUM_FRICTION] = {{"friction raster", "frictieraster"}},
    [RTI_L_MEDIUM_SPEED] = {{"speed raster", "snelheidsraster"}},
    [RTI_L_MEDIUM_SPEED_MODEL] = {{"speed model", "snelheidsmodel"}},
    [RTI_L_MEDIUM_NETWORK] = {{"road network", "wegennet"}},
    [RTI_L_MEDIUM_HYBRID] = {{"road network and land", "wegennet en land"}},
    [RTI_L_P_LAND] = {{"Medium over land", "Vervoersmodel over land"}},
    [RTI_L_P_OFFROAD] = {{"Off-road speed", "Snelheid buiten de weg"}},
    [RTI_L_P_PROFILE] = {{"Speed profile", "Snelheidsprofiel"}},
    [RTI_L_P_ACCESS] = {{"Access legs", "Aansluiting op het wegennet"}},
    [RTI_L_P_ACCESS_VALUE] = {{"%s %s, at most %s m", "%s %s, hoogstens %s m"}},
    [RTI_L_P_VERSIONS] = {{"Versions", "Versies"}},
    [RTI_L_TH_ROLE] = {{"Key in the study file", "Sleutel in het studiebestand"}},
    [RTI_L_TH_FILE] = {{"File", "Bestand"}},
    [RTI_L_TH_BYTES] = {{"Bytes", "Bytes"}},
    [RTI_L_NOT_A_FILE] = {{"not a single file", "geen los bestand"}},

    /* sensitive facilities (outputs.closures) */
    [RTI_L_CLOSURES] = {{"Sensitive facilities (gevoelige voorzieningen)",
                         "Gevoelige voorzieningen"}},
    [RTI_L_CLOSURES_INTRO] =
        {{"What closing one facility alone does (N&minus;1): the people for whom it is the "
          "nearest move to their second-nearest facility, or have none left. Listed per type: "
          "the %d facilities whose closure alone pushes the most people beyond the first time "
          "norm (on a tie, and for a type without a time norm, the one serving the most people "
          "first). &ldquo;Pushed beyond&rdquo; counts the people within the norm now and beyond "
          "it once the facility is closed, on the whole grid, also outside the regions (a "
          "scenario counts within the regions only); the added time is the mean over those who "
          "have an alternative. Every facility, and per region who is pushed beyond, is in "
          "the files named under each table.",
          "Wat het sluiten van &eacute;&eacute;n voorziening doet (N&minus;1): wie haar als "
          "dichtstbijzijnde heeft, gaat naar de op een na dichtstbijzijnde, of heeft er geen "
          "meer. Per type staan hier de %d voorzieningen waarvan de sluiting de meeste "
          "inwoners buiten de eerste tijdnorm brengt (bij gelijke aantallen, en voor een type "
          "zonder tijdnorm, gaat de voorziening met de meeste inwoners voor). "
          "&lsquo;Buiten &hellip; bij sluiting&rsquo; telt de inwoners die nu binnen de norm "
          "wonen en na de sluiting erbuiten, op het hele raster, ook buiten de gebieden (een "
          "scenario telt alleen binnen de gebieden); de extra reistijd is het gemiddelde over "
          "wie een alternatief heeft. Elke voorziening, en per gebied wie buiten de norm komt, "
          "staat in de bestanden onder elke tabel."}},
    [RTI_L_CLOSURES_FILES] = {{"Every facility: %s; per region: %s.",
                               "Alle voorzieningen: %s; per gebied: %s."}},
    [RTI_L_TH_FACILITY] = {{"Facility", "Voorziening"}},
    [RTI_L_TH_SERVED] = {{"Population served", "Inwoners voor wie dit de dichtstbijzijnde is"}},
    [RTI_L_TH_ADDED] = {{"Added time if closed (mean, min)",
                         "Extra reistijd bij sluiting (gemiddeld, min)"}},
    [RTI_L_TH_PUSHED] = {{"Pushed beyond %s (whole grid)",
                          "Nieuw buiten %s bij sluiting (heel raster)"}},
    [RTI_L_TH_NO_ALTERNATIVE] = {{"Without an alternative", "Zonder alternatief"}},
    [RTI_L_TH_TAKEN_OVER] = {{"Taken over by", "Grootste deel gaat naar"}},

    /* the scenarios */
    [RTI_L_SCENARIOS] = {{"Scenarios", "Scenario\xe2\x80\x99s"}},
    [RTI_L_SCEN_INTRO] =
        {{"Each scenario is the study with its changes, compared cell by cell with the study as "
          "it is (the baseline). Worse or better off: the travel time changed by more than the "
          "scenario's threshold; newly beyond a norm: within it now, beyond it in the scenario. "
          "The maps show the change per cell, scenario minus baseline (blue faster, red "
          "slower), and in colours of their own the cells that no route reaches any more and "
          "those that only the scenario reaches; the GeoTIFF of a map, named under it, has a "
          "QGIS style of the same classes and colours beside it. The tables list the regions of "
          "the first region layer with a change, the largest first; every region and statistic "
          "is in the file named under each table. A change of a mean (&Delta;) is worked out "
          "from the unrounded means, so it can differ by 0.1 from the difference of the rounded "
          "means shown beside it.",
          "Elk scenario is de studie met zijn wijzigingen, per cel vergeleken met de studie zoals "
          "ze is (de basis). Slechter of beter af: de reistijd veranderde meer dan de drempel van "
          "het scenario; nieuw buiten een norm: nu binnen de norm, in het scenario erbuiten. De "
          "kaarten tonen de verandering per cel, scenario min basis (blauw sneller, rood "
          "langzamer), en in eigen kleuren de cellen die onbereikbaar worden en de cellen die "
          "alleen in het scenario bereikbaar zijn; naast de GeoTIFF van een kaart, genoemd onder "
          "de kaart, staat een QGIS-stijl met dezelfde klassen en kleuren. De tabellen tonen de "
          "gebieden van de eerste gebiedsindeling waar iets verandert, de grootste verandering "
          "eerst; elk gebied en elke maat staat in het bestand dat onder elke tabel staat. De "
          "verandering van een gemiddelde (&Delta;) is berekend uit de niet-afgeronde "
          "gemiddelden en kan daardoor 0,1 verschillen van het verschil tussen de afgeronde "
          "gemiddelden ernaast."}},
    [RTI_L_SCEN_HEADLINE] = {{"%s: %s worse off (time more than %s min longer), %s better off",
                              "%s: %s slechter af (reistijd meer dan %s min langer), %s beter "
                              "af"}},
    [RTI_L_SCEN_NEWLY] = {{"%s newly beyond %s", "%s nieuw buiten %s"}},
    [RTI_L_SCEN_NEWLY_WITHIN] = {{"%s newly within %s", "%s nieuw binnen %s"}},
    [RTI_L_SCEN_POPULATION] = {{"Population: %s added and %s removed on the grid.",
                                "Bevolking: %s inwoners erbij, %s eraf."}},
    [RTI_L_SCEN_BEYOND_CHANGE] = {{"change of the people beyond each norm, those added and "
                                   "removed included: ",
                                   "verandering van het aantal inwoners buiten elke norm, nieuwe "
                                   "en vertrokken inwoners meegeteld: "}},
    [RTI_L_SCEN_NONE] = {{"No region of this layer changes.",
                          "In geen enkel gebied verandert iets."}},
    [RTI_L_SCEN_MORE] = {{"%s more regions with a change are in <code>%s</code>.",
                          "Nog %s gebieden met een verandering staan in <code>%s</code>."}},
    [RTI_L_SCEN_MORE_ONE] = {{"One more region with a change is in <code>%s</code>.",
                              "Nog een gebied met een verandering staat in <code>%s</code>."}},
    [RTI_L_SCEN_MORE_UNLISTED] = {{"%s more regions with a change are not shown: with "
                                   "<code>outputs.csv</code> off no table lists every region.",
                                   "Nog %s gebieden met een verandering staan hier niet: met "
                                   "<code>outputs.csv</code> uit noemt geen tabel elk gebied."}},
    [RTI_L_SCEN_MORE_UNLISTED_ONE] = {{"One more region with a change is not shown: with "
                                       "<code>outputs.csv</code> off no table lists every region.",
                                       "Nog een gebied met een verandering staat hier niet: met "
                                       "<code>outputs.csv</code> uit noemt geen tabel elk "
                                       "gebied."}},
    [RTI_L_SCEN_FILE] = {{"Every region and statistic: <code>%s</code>.",
                          "Elk gebied en elke maat: <code>%s</code>."}},
    [RTI_L_TH_MEAN_AB] = {{"Mean time (min), baseline &rarr; scenario",
                           "Gemiddelde reistijd (min), basis &rarr; scenario"}},
    [RTI_L_TH_MEAN_DELTA] = {{"Change (min)", "Verschil (min)"}},
    [RTI_L_TH_NEWLY_BEYOND] = {{"Newly beyond %s", "Nieuw buiten %s"}},
    [RTI_L_TH_BEYOND_DELTA] = {{"Change in inhabitants beyond %s",
                                "Verschil in inwoners buiten %s"}},
    [RTI_L_TH_WORSE_OFF] = {{"Worse off", "Slechter af"}},
    [RTI_L_TH_BETTER_OFF] = {{"Better off", "Beter af"}},
    [RTI_L_DELTA_MAP_ALT] = {{"Map of the change in travel time to the nearest %s, with the "
                              "region borders and the facilities, in the scenario ",
                              "Kaart van de verandering van de reistijd tot de dichtstbijzijnde "
                              "voorziening (%s), met de gebiedsgrenzen en de voorzieningen, in "
                              "het scenario "}},
    [RTI_L_DELTA_MAP_CAPTION] = {{"Change in travel time in minutes, scenario minus baseline, "
                                  "on cells of %s m; borders: %s. Data: ",
                                  "Verandering van de reistijd in minuten, scenario min basis, "
                                  "op cellen van %s m; grenzen: %s. Bronnen: "}},
    [RTI_L_DELTA_FASTER_OVER] = {{"%s min or more faster", "%s min of meer sneller"}},
    [RTI_L_DELTA_FASTER] = {{"%s\xe2\x80\x93%s min faster", "%s\xe2\x80\x93%s min sneller"}},
    [RTI_L_DELTA_SAME] = {{"no change (within %s min)", "geen verandering (binnen %s min)"}},
    [RTI_L_DELTA_SLOWER] = {{"%s\xe2\x80\x93%s min slower", "%s\xe2\x80\x93%s min langzamer"}},
    [RTI_L_DELTA_SLOWER_OVER] = {{"more than %s min slower", "meer dan %s min langzamer"}},
    [RTI_L_DELTA_LOST] = {{"became unreachable", "onbereikbaar geworden"}},
    [RTI_L_DELTA_GAINED] = {{"became reachable", "bereikbaar geworden"}},
    [RTI_L_DELTA_CLOSED] = {{"closed facility", "gesloten voorziening"}},
    [RTI_L_DELTA_COUNTS] =
        {{"In the regions of %s: %s worse off, of whom %s in cells from which no "
          "route leads to a facility any more (became unreachable); %s better off, of whom %s "
          "in cells that no route reached before (became reachable).",
          "In alle gebieden (%s) samen: %s slechter af, van wie %s in cellen vanwaar geen "
          "route meer naar een voorziening leidt (onbereikbaar geworden); %s beter af, van wie "
          "%s in cellen die eerst onbereikbaar waren (bereikbaar geworden)."}},

    /* the QGIS styles: titles and the labels of categories (their values,
     * the column status of the GeoPackage, stay ok, moved, left out) */
    [RTI_L_QML_TIME_TITLE] = {{"%s: travel time (min)", "%s: reistijd (min)"}},
    [RTI_L_QML_DELTA_TITLE] = {{"%s: change in travel time (min)",
                                "%s: verandering van de reistijd (min)"}},
    [RTI_L_QML_REACH_TITLE] = {{"%s: change in reach", "%s: verandering van de bereikbaarheid"}},

    [RTI_L_QML_OK] = {{"ok", "gebruikt"}},
    [RTI_L_QML_MOVED] = {{"moved", "verschoven"}},
    [RTI_L_QML_LEFT_OUT] = {{"left out", "niet meegeteld"}},

    /* the measures beyond the nearest: what each measure is, in words */
    [RTI_L_MEAS_TITLE] = {{"Beyond the nearest %s", "Wat verder binnen bereik ligt: %s"}},
    [RTI_L_MEAS_INTRO] =
        {{"What lies within reach of every cell, as the study file asks for it "
          "(<code>measures</code>). Per measure a map and the regions of %s, the worst first: "
          "the lowest mean, or for a time or distance the highest. The classes of a time or "
          "distance are those of the travel-time map; the classes of counts, capacities and "
          "ratios follow from the values on the map (whole numbers for counts, rounded "
          "quintiles of the values above 0 for the others). As the crow flies, every facility "
          "read counts, also one outside the study extent or without a passable cell: a "
          "straight-line distance needs no route.",
          "Wat er binnen bereik van elke cel ligt, zoals het studiebestand vraagt "
          "(<code>measures</code>). Per indicator een kaart en de gebieden van %s, de slechtste "
          "eerst: het laagste gemiddelde, of bij een reistijd of afstand het hoogste. De klassen "
          "van een reistijd of afstand zijn die van de reistijdkaart; de klassen van aantallen, "
          "capaciteiten en verhoudingen volgen uit de waarden op de kaart (hele getallen bij "
          "aantallen, bij de andere vijf even grote groepen van de waarden boven 0, afgerond). "
          "Hemelsbreed telt "
          "elke ingelezen locatie mee, ook een buiten het studiegebied of zonder begaanbare "
          "cel: een afstand hemelsbreed vraagt geen route."}},
    [RTI_L_MEAS_EDGE] =
        {{"Capacity per inhabitant counts only the people in the population data: a facility "
          "that also serves people outside it (beyond the grid, or where the data has no "
          "population) seems to serve fewer people than it does, and the values near it come "
          "out too high.",
          "Capaciteit per inwoner telt alleen de inwoners uit het bevolkingsbestand: een "
          "voorziening die ook mensen daarbuiten bedient (buiten het raster, of waar het "
          "bestand geen inwoners heeft) lijkt minder mensen te bedienen dan ze doet, en de "
          "waarden bij zo'n voorziening vallen te hoog uit."}},
    [RTI_L_MEAS_UNIT_CAPACITY] =
        {{"Every facility of this type has a capacity of 1: &lsquo;capacity&rsquo; means the "
          "number of facilities here.",
          "Alle voorzieningen van dit type hebben capaciteit 1: &lsquo;capaciteit&rsquo; betekent "
          "hier &lsquo;aantal voorzieningen&rsquo;."}},
    [RTI_L_MEAS_WITHIN_MIN] = {{"%s min", "%s min"}},
    [RTI_L_MEAS_WITHIN_KM] = {{"%s km as the crow flies", "%s km hemelsbreed"}},
    [RTI_L_MEAS_WITHIN_ROUTE_KM] = {{"%s km by route", "%s km over de weg"}},
    [RTI_L_MEAS_COUNT] = {{"Number of facilities within %s", "Aantal voorzieningen binnen %s"}},
    [RTI_L_MEAS_CAPACITY] = {{"Capacity within %s", "Capaciteit binnen %s"}},
    [RTI_L_MEAS_GRAVITY] = {{"Capacity within %s, weighted by travel time (gravity)",
                             "Capaciteit binnen %s, gewogen naar reistijd (zwaartekrachtmodel)"}},
    [RTI_L_MEAS_2SFCA] = {{"Capacity per 100,000 inhabitants within %s (2SFCA)",
                           "Capaciteit per 100.000 inwoners binnen %s (2SFCA)"}},
    [RTI_L_MEAS_E2SFCA] = {{"Capacity per 100,000 inhabitants within %s, weighted by travel time "
                            "(E2SFCA)",
                            "Capaciteit per 100.000 inwoners binnen %s, gewogen naar reistijd "
                            "(E2SFCA)"}},
    [RTI_L_MEAS_3SFCA] =
        {{"Capacity per 100,000 inhabitants within %s, demand shared between facilities (3SFCA)",
          "Capaciteit per 100.000 inwoners binnen %s, vraag verdeeld over de voorzieningen "
          "(3SFCA)"}},
    [RTI_L_MEAS_BFCA] =
        {{"Level of service (capacity per 100,000 inhabitants) within %s, shared out over the "
          "cells (BFCA)",
          "Voorzieningenniveau (capaciteit per 100.000 inwoners) binnen %s, verdeeld over de "
          "cellen (BFCA)"}},
    [RTI_L_MEAS_SPAVAIL] = {{"Capacity available to each cell within %s (spatial availability)",
                             "Beschikbare capaciteit per cel binnen %s (ruimtelijke "
                             "beschikbaarheid)"}},
    [RTI_L_MEAS_NEAREST] = {{"Travel time to the nearest facility, within %s",
                             "Reistijd tot de dichtstbijzijnde voorziening, binnen %s"}},
    [RTI_L_MEAS_KTH] = {{"Travel time to the %s nearest facility, within %s",
                         "Reistijd tot de %s dichtstbijzijnde voorziening, binnen %s"}},
    [RTI_L_MEAS_NEAREST_KM] = {{"Distance to the nearest facility, within %s",
                                "Afstand tot de dichtstbijzijnde voorziening (gezocht tot %s)"}},
    [RTI_L_MEAS_KTH_KM] = {{"Distance to the %s nearest facility, within %s",
                            "Afstand tot de %s dichtstbijzijnde voorziening (gezocht tot %s)"}},
    [RTI_L_MEAS_BALANCING] =
        {{"Travel time at which the capacity within reach covers the cell's population, within "
          "%s (balancing cost)",
          "Reistijd waarbinnen de bereikbare capaciteit de inwoners van de cel dekt, binnen %s "
          "(balancing cost)"}},
    [RTI_L_MEAS_BALANCING_KM] =
        {{"Distance at which the capacity within reach covers the cell's population, within %s "
          "(balancing cost)",
          "Afstand waarbinnen de bereikbare capaciteit de inwoners van de cel dekt, binnen %s "
          "(balancing cost)"}},
    /* what the value of a measure says, for the measures whose name does not */
    [RTI_L_MEAS_EXPLAIN_GRAVITY] =
        {{"The capacity of the facilities within reach added up, each weighted by how near it "
          "is with the decay function of the study file (with binary decay, the default, every "
          "facility within reach counts in full): a higher value means more capacity nearby.",
          "De capaciteit van de voorzieningen binnen bereik opgeteld, elk gewogen naar hoe "
          "dichtbij ze ligt met de afstandsvervalfunctie van het studiebestand (bij binary, de "
          "standaard, telt elke voorziening binnen bereik volledig mee): een hogere waarde "
          "betekent meer capaciteit in de buurt."}},
    [RTI_L_MEAS_EXPLAIN_2SFCA] =
        {{"The capacity of every facility is shared among all the inhabitants who have it within "
          "reach; the value adds up an inhabitant's shares of the facilities within reach. A low "
          "value means little capacity per inhabitant: few or small facilities nearby, or many "
          "people sharing them.",
          "De capaciteit van elke voorziening wordt verdeeld over alle inwoners die haar binnen "
          "bereik hebben; de waarde telt het aandeel van een inwoner in elke voorziening binnen "
          "bereik op. Een lage waarde betekent weinig capaciteit per inwoner: weinig of kleine "
          "voorzieningen in de buurt, of veel mensen die ze delen."}},
    [RTI_L_MEAS_EXPLAIN_E2SFCA] =
        {{"The capacity of every facility is shared among all the inhabitants who have it within "
          "reach, and the value adds up an inhabitant's shares of the facilities within reach; "
          "nearby counts more than at the edge of the reach (travel-time bands). A low value "
          "means little capacity per inhabitant: few or small facilities nearby, or many people "
          "sharing them.",
          "De capaciteit van elke voorziening wordt verdeeld over alle inwoners die haar binnen "
          "bereik hebben, en de waarde telt het aandeel van een inwoner in elke voorziening "
          "binnen bereik op; dichtbij weegt daarbij zwaarder dan aan de rand van het bereik "
          "(reistijdbanden). Een lage waarde betekent weinig capaciteit per inwoner: weinig of "
          "kleine voorzieningen in de buurt, of veel mensen die ze delen."}},
    [RTI_L_MEAS_EXPLAIN_3SFCA] =
        {{"The capacity of every facility is shared among the inhabitants who have it within "
          "reach, and the value adds up an inhabitant's shares; people with several facilities "
          "within reach count for each of them only in part (by the weights of the decay "
          "function), so that nobody is counted twice.",
          "De capaciteit van elke voorziening wordt verdeeld over de inwoners die haar binnen "
          "bereik hebben, en de waarde telt de aandelen van een inwoner op; wie meerdere "
          "voorzieningen binnen bereik heeft, telt bij elk daarvan maar voor een deel mee (naar "
          "de gewichten van de afstandsvervalfunctie), zodat niemand dubbel meetelt."}},
    [RTI_L_MEAS_EXPLAIN_BFCA] =
        {{"Every facility's level of service (its capacity per inhabitant within reach, with "
          "the demand of people who have several facilities within reach split among them) is "
          "shared out over the cells that have it within reach, by the weights of the decay "
          "function, and a cell's value adds up its shares. Over all cells the values add up to "
          "the levels of service of the facilities, so that nothing is counted twice (balanced); "
          "but a cell's share shrinks as more cells share a facility, so the values depend on "
          "the cell size: compare cells of one grid, not grids of different cell sizes, and do "
          "not read a value as the capacity per inhabitant of its cell (that is what 2SFCA and "
          "3SFCA give).",
          "Het voorzieningenniveau van elke voorziening (haar capaciteit per inwoner binnen "
          "bereik, waarbij de vraag van wie meerdere voorzieningen binnen bereik heeft over die "
          "voorzieningen is verdeeld) wordt verdeeld over de cellen die haar binnen bereik "
          "hebben, naar de gewichten van de afstandsvervalfunctie, en de waarde van een cel telt "
          "haar aandelen op. Over alle cellen opgeteld geven de waarden het voorzieningenniveau "
          "van de voorzieningen, zodat niets dubbel meetelt (gebalanceerd); maar het aandeel van "
          "een cel wordt kleiner naarmate meer cellen een voorziening delen, dus de waarden "
          "hangen af van de celgrootte: vergelijk cellen van &eacute;&eacute;n raster, niet "
          "rasters met verschillende celgroottes, en lees een waarde niet als de capaciteit per "
          "inwoner van haar cel (die geven 2SFCA en 3SFCA)."}},
    [RTI_L_MEAS_EXPLAIN_SPAVAIL] =
        {{"The capacity of every facility is shared out among the cells that have it within "
          "reach, by their inhabitants (and how near they are); the value is the capacity a cell "
          "gets, so that the values add up to the capacity of the facilities with people within "
          "reach. It grows with the number of people in the cell: it is not a level per "
          "inhabitant.",
          "De capaciteit van elke voorziening wordt verdeeld over de cellen die haar binnen "
          "bereik hebben, naar hun aantal inwoners (en hoe dichtbij ze zijn); de waarde is de "
          "capaciteit die een cel krijgt, zodat alle waarden samen de capaciteit geven van de "
          "voorzieningen met inwoners binnen bereik. Ze groeit met het aantal inwoners van de "
          "cel: het is geen niveau per inwoner."}},
    [RTI_L_MEAS_EXPLAIN_BALANCING] =
        {{"The travel time within which the capacity of the nearest facilities, added up, first "
          "reaches the number of people in the cell: how far the inhabitants must travel to find "
          "enough capacity for themselves. Lower is better.",
          "De reistijd waarbinnen de capaciteit van de dichtstbijzijnde voorzieningen, opgeteld, "
          "voor het eerst minstens gelijk is aan het aantal inwoners van de cel: hoe ver de "
          "inwoners moeten reizen om genoeg capaciteit voor zichzelf te vinden. Lager is "
          "beter."}},
    [RTI_L_MEAS_EXPLAIN_BALANCING_KM] =
        {{"The distance within which the capacity of the nearest facilities, added up, first "
          "reaches the number of people in the cell: how far the inhabitants must go to find "
          "enough capacity for themselves. Lower is better.",
          "De afstand waarbinnen de capaciteit van de dichtstbijzijnde voorzieningen, opgeteld, "
          "voor het eerst minstens gelijk is aan het aantal inwoners van de cel: hoe ver de "
          "inwoners moeten gaan om genoeg capaciteit voor zichzelf te vinden. Lager is "
          "beter."}},
    [RTI_L_MEAS_NONE_WITHIN] = {{"none within %s", "niets binnen %s"}},
    [RTI_L_MEAS_FEWER_WITHIN] = {{"fewer than %d within %s", "minder dan %d binnen %s"}},
    [RTI_L_MEAS_NOT_COVERED] = {{"capacity not covered within %s",
                                 "capaciteit niet gedekt binnen %s"}},
    [RTI_L_MEAS_HEADLINE] =
        {{"In the regions of %s: population-weighted mean %s; %s: %s (%s).",
          "In alle gebieden (%s) samen: gemiddelde gewogen naar inwoners %s; %s: %s (%s)."}},
    [RTI_L_MEAS_MAP_ALT] = {{"Map: %s, with the region borders and the facilities",
                             "Kaart: %s, met de gebiedsgrenzen en de voorzieningen"}},
    [RTI_L_MEAS_MAP_CAPTION] = {{"%s, on cells of %s m; borders: %s. Data: ",
                                 "%s, op cellen van %s m; grenzen: %s. Bronnen: "}},
    [RTI_L_MEAS_TABLE_CAPTION] = {{"%s per region, the worst first. Click a heading to sort.",
                                   "%s per gebied, de slechtste eerst. Klik op een kop om te "
                                   "sorteren."}},
    [RTI_L_MEAS_MORE] = {{"%s more regions are in the region tables (columns %s).",
                          "Nog %s gebieden staan in de gebiedstabellen (kolommen %s)."}},
    [RTI_L_CMP_TITLE] = {{"Comparison of two runs", "Vergelijking van twee runs"}},
    [RTI_L_CMP_RUNS] = {{"Run A: <code>%s</code>, of the study <code>%s</code>. Run B: "
                         "<code>%s</code>, of the study <code>%s</code>.",
                         "Run A: <code>%s</code>, van de studie <code>%s</code>. Run B: "
                         "<code>%s</code>, van de studie <code>%s</code>."}},
    [RTI_L_CMP_INTRO] =
        {{"Run B compared cell by cell with run A on the same grid, both weighed by the "
          "population and the regions of run A's study. Worse or better off: the travel time "
          "changed by more than %s min; newly beyond a norm: within it in run A, beyond it in "
          "run B. The maps show the change per cell, run B minus run A (blue faster, red "
          "slower), and in colours of their own the cells that no route reaches in run B any "
          "more and those that only run B reaches; the GeoTIFF of a map, named under it, has a "
          "QGIS style of the same classes and colours beside it. The tables list the regions of "
          "the first region layer with a change, the largest first; every region and statistic "
          "is in the file named under each table.",
          "Run B per cel vergeleken met run A op hetzelfde raster, beide gewogen naar de "
          "inwoners en de gebieden van de studie van run A. Slechter of beter af: de reistijd "
          "veranderde meer dan %s min; nieuw buiten een norm: in run A binnen de norm, in run B "
          "erbuiten. De kaarten tonen de verandering per cel, run B min run A (blauw sneller, "
          "rood langzamer), en in eigen kleuren de cellen die in run B onbereikbaar zijn "
          "geworden en de cellen die alleen run B bereikt; naast de GeoTIFF van een kaart, "
          "genoemd onder de kaart, staat een QGIS-stijl met dezelfde klassen en kleuren. De "
          "tabellen tonen de gebieden van de eerste gebiedsindeling waar iets verandert, de "
          "grootste verandering eerst; elk gebied en elke maat staat in het bestand dat onder "
          "elke tabel staat."}},
    [RTI_L_CMP_SECTION] = {{"Run B against run A", "Run B ten opzichte van run A"}},
    [RTI_L_CMP_TH_MEAN_AB] = {{"Mean time (min), run A &rarr; run B",
                               "Gemiddelde reistijd (min), run A &rarr; run B"}},
    [RTI_L_CMP_MAP_ALT] = {{"Map of the change in travel time to the nearest %s, with the region "
                            "borders, run B against run A",
                            "Kaart van de verandering van de reistijd tot de dichtstbijzijnde "
                            "voorziening (%s), met de gebiedsgrenzen, run B ten opzichte van "
                            "run A"}},
    [RTI_L_CMP_MAP_CAPTION] = {{"Change in travel time in minutes, run B minus run A, on cells of "
                                "%s m; borders: %s. Data: ",
                                "Verandering van de reistijd in minuten, run B min run A, op "
                                "cellen van %s m; grenzen: %s. Bronnen: "}},
};

const char *rti_label_text(rti_language lang, rti_label k)
{
    if ((int)k < 0 || k >= RTI_N_LABELS)
        return "";
    int l = lang == RTI_LANG_NL ? RTI_LANG_NL : RTI_LANG_EN;
    const char *t = LABELS[k].text[l];
    return t ? t : "";
}

void rti_format_directives(const char *f, char *buf, size_t n)
{
    size_t o = 0;
    if (n == 0)
        return;
    buf[0] = '\0';
    for (const char *p = strchr(f, '%'); p; p = strchr(p, '%')) {
        p++;
        if (*p == '%') {
            p++;
            continue;
        }
        p += strspn(p, "-+ #0123456789.*"); /* flags, width, precision */
        size_t len = strspn(p, "hlLqjzt");  /* length */
        if (*p)
            len++; /* the conversion */
        if (o + len + 2 > n)
            return;
        memcpy(buf + o, p, len);
        o += len;
        buf[o++] = ',';
        buf[o] = '\0';
        p += len;
    }
}

void rti_sb_label(rti_sbuf *b, const char *fmt, const char *arg)
{
    for (const char *p = fmt; *p; p++) {
        if (p[0] == '%' && p[1] == 's') {
            rti_sb_escape(b, arg);
            p++;
        } else if (p[0] == '%' && p[1] == '%') {
            rti_sb_put(b, "%");
            p++;
        } else {
            rti_sb_putn(b, p, 1);
        }
    }
}

/* Dutch: '.' and ',' swap places. */
static void localize(rti_language lang, char *s)
{
    if (lang != RTI_LANG_NL)
        return;
    for (; *s; s++)
        *s = *s == '.' ? ',' : *s == ',' ? '.' : *s;
}

const char *rti_fmt_local(rti_language lang, const char *fmt, double v, char *buf, size_t n)
{
    snprintf(buf, n, fmt, v);
    localize(lang, buf);
    return buf;
}

const char *rti_fmt_count(rti_language lang, double v, char *buf, size_t n)
{
    if (!isfinite(v)) {
        snprintf(buf, n, "%s", isnan(v) ? "&ndash;" : v > 0 ? "&infin;" : "-&infin;");
        return buf;
    }
    char digits[32];
    double r = round(v); /* halves away from zero */
    snprintf(digits, sizeof(digits), "%.0f", fabs(r));
    size_t nd = strlen(digits), o = 0;
    char out[48];
    if (r < 0)
        out[o++] = '-';
    for (size_t i = 0; i < nd; i++) {
        if (i > 0 && (nd - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    localize(lang, out);
    snprintf(buf, n, "%s", out);
    return buf;
}

const char *rti_fmt_persons(rti_language lang, double v, char *buf, size_t n)
{
    char num[48];
    rti_fmt_count(lang, v, num, sizeof(num));
    const int one = strcmp(num, "1") == 0;
    snprintf(buf, n, "%s %s", num,
             lang == RTI_LANG_NL ? (one ? "inwoner" : "inwoners")
                                 : (one ? "inhabitant" : "inhabitants"));
    return buf;
}

const char *rti_fmt_value(rti_language lang, double v, char *buf, size_t n)
{
    return fabs(v) >= 1000 ? rti_fmt_count(lang, v, buf, n)
                           : rti_fmt_local(lang, "%.4g", v, buf, n);
}

const char *rti_fmt_share(rti_language lang, double pct, char *buf, size_t n)
{
    char num[48];
    const char *pre = "";
    if (isnan(pct)) {
        snprintf(buf, n, "&ndash;");
        return buf;
    }
    if (pct > 0 && pct < 0.05) {
        pre = "&lt;";
        pct = 0.1;
    } else if (pct < 100 && pct >= 99.95) {
        pre = "&gt;";
        pct = 99.9;
    }
    rti_fmt_local(lang, "%.1f", pct, num, sizeof(num));
    char both[64];
    snprintf(both, sizeof(both), "%s%s", pre, num);
    snprintf(buf, n, rti_label_text(lang, RTI_L_PERCENT), both);
    return buf;
}

const char *rti_norm_text(rti_language lang, const rt_norm *nm, char *buf, size_t n)
{
    char num[48];
    int time = nm->kind == RT_NORM_TIME;
    rti_fmt_local(lang, "%g", time ? nm->limit_s / 60.0 : nm->limit_m / 1000.0, num, sizeof(num));
    snprintf(buf, n, rti_label_text(lang, time ? RTI_L_NORM_MIN : RTI_L_NORM_KM), num);
    return buf;
}

const char *rti_fmt_ordinal(rti_language lang, int k, char *buf, size_t n)
{
    if (lang == RTI_LANG_NL) {
        snprintf(buf, n, "%de", k);
        return buf;
    }
    const int last = k % 10, teen = k % 100 >= 11 && k % 100 <= 13;
    snprintf(buf, n, "%d%s", k,
             teen        ? "th"
             : last == 1 ? "st"
             : last == 2 ? "nd"
             : last == 3 ? "rd"
                         : "th");
    return buf;
}

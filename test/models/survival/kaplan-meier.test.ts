import { describe, expect, it } from 'vitest';
import { aggregateSurvival, countsFromRows } from '../../../src/models/survival/counts.js';
import { SurvivalInputError } from '../../../src/models/survival/errors.js';
import { kaplanMeier, kaplanMeierFromCounts } from '../../../src/models/survival/kaplan-meier.js';
import {
  kaplanMeierByGroup,
  kaplanMeierByGroupFromCounts,
} from '../../../src/models/survival/kaplan-meier-groups.js';
import { medianSurvival, survivalQuantile } from '../../../src/models/survival/median.js';
import { survivalAt } from '../../../src/models/survival/survival-at.js';
import { loadTelco } from './telco.js';
import { expectAll, TOL_KM } from './expect-all.js';

/*
 * Reference values confirmed with R survival 3.5-3 (R 4.2.2), script reference/telco.R: survfit(Surv(tenure,
 * Churn == "Yes") ~ 1) and ~ Contract on the IBM Telco data, summary(fit, times = c(1, 12, 24, 72)),
 * print(fit) medians, and small hand-made curves. NA is written as NaN.
 * Tolerance: TOL_KM = 1e-9 relative (absolute where R's value is 0), stricter than the 1e-6 bar.
 */

const R_OVERALL = {
  time: [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
    29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54,
    55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72,
  ],
  nRisk: [
    7043, 7032, 6419, 6181, 5981, 5805, 5672, 5562, 5431, 5308, 5189, 5073, 4974, 4857, 4748, 4672, 4573,
    4493, 4406, 4309, 4236, 4165, 4102, 4012, 3927, 3833, 3754, 3675, 3603, 3546, 3474, 3402, 3337, 3268,
    3204, 3139, 3051, 3001, 2936, 2877, 2821, 2757, 2687, 2622, 2557, 2506, 2445, 2371, 2303, 2239, 2173,
    2105, 2037, 1957, 1887, 1819, 1755, 1675, 1610, 1543, 1483, 1407, 1331, 1261, 1189, 1109, 1033, 944, 846,
    746, 651, 532, 362,
  ],
  nEvent: [
    0, 380, 123, 94, 83, 64, 40, 51, 42, 46, 45, 31, 38, 38, 24, 37, 28, 26, 24, 19, 18, 17, 27, 13, 23, 23,
    15, 13, 12, 15, 16, 16, 19, 14, 12, 15, 10, 15, 13, 14, 13, 14, 14, 15, 6, 6, 12, 14, 9, 15, 10, 8, 8, 14,
    13, 9, 10, 8, 11, 8, 6, 8, 5, 4, 4, 9, 13, 10, 9, 8, 11, 6, 6,
  ],
  nCensor: [
    11, 233, 115, 106, 93, 69, 70, 80, 81, 73, 71, 68, 79, 71, 52, 62, 52, 61, 73, 54, 53, 46, 63, 72, 71, 56,
    64, 59, 45, 57, 56, 49, 50, 50, 53, 73, 40, 50, 46, 42, 51, 56, 51, 50, 45, 55, 62, 54, 55, 51, 58, 60,
    72, 56, 55, 55, 70, 57, 56, 52, 70, 68, 65, 68, 76, 67, 76, 88, 91, 87, 108, 164, 356,
  ],
  survival: [
    1, 0.94596131968145625, 0.92783493826366237, 0.91372452179435582, 0.90104451254691698,
    0.89111051619842385, 0.88482623893327272, 0.87671294548027079, 0.86993298898788052, 0.86239400679243161,
    0.85491516109852927, 0.84969096042948644, 0.84319955381583134, 0.83660256327743276, 0.83237373818925708,
    0.82578173726609727, 0.82072556218552639, 0.81597620438075813, 0.8115314860636591, 0.80795313882875319,
    0.80451991019350355, 0.80123615545801985, 0.79596229485407877, 0.79338315481591748, 0.78873639837059883,
    0.78400356842994556, 0.78087089567383228, 0.77810863128097252, 0.77551709545655634, 0.77223656628795834,
    0.76867992119279216, 0.76506473049935164, 0.76070865322051207, 0.75744980342091384, 0.7546129127713973,
    0.75100692561256621, 0.74854541487637294, 0.74480393496196251, 0.74150609737527806, 0.73789779519826937,
    0.73449734452915294, 0.73076757926857683, 0.72696008164678294, 0.7228012711110462, 0.72110521806972194,
    0.7193787091677194, 0.71584801611658955, 0.7116211615296506, 0.70884018434607843, 0.70409136667515793,
    0.70085118551236392, 0.69818761806148555, 0.69544559501558867, 0.69047051155610051, 0.68571369298152218,
    0.68232093694148166, 0.67843306835492045, 0.67519279101352381, 0.67057967256560536, 0.66710291470395611,
    0.66440391437474255, 0.66062620910466585, 0.65814451786084671, 0.65605682708254109, 0.65384973935476132,
    0.64854347456288319, 0.64038174642220802, 0.63359804148129484, 0.62685763678468531, 0.62013530287814711,
    0.60965682617820915, 0.60278099731153767, 0.5927901520522304,
  ],
  stdErrLog: [
    0, 0.0028502059804283411, 0.0033417319013921668, 0.0036967004442447506, 0.0040023084320663866,
    0.0042354298693256824, 0.0043807567744531383, 0.0045667120847698904, 0.0047212170395780238,
    0.0048925273503010059, 0.0050618878521022908, 0.0051802205111789552, 0.005327517352816607,
    0.0054777700388064813, 0.0055745835280715493, 0.005725785180555833, 0.0058422416594220471,
    0.0059520785080735246, 0.0060556011347913368, 0.0061398804233521419, 0.0062213784842155414,
    0.0062999643174624486, 0.0064268812944851322, 0.0064896128953983593, 0.0066041882956866362,
    0.0067223688641582123, 0.0068013901518189698, 0.0068720365948684, 0.0069391901983434489,
    0.007024980787889587, 0.0071191456876647935, 0.0072160393599709216, 0.0073339783732470345,
    0.0074231908061362451, 0.0075018069218485868, 0.0076030747719447117, 0.0076736271678944333,
    0.0077819327193476145, 0.007878660290460561, 0.0079857978091250493, 0.0080878982017341932,
    0.00820154552422429, 0.0083195295216714222, 0.0084503834400479656, 0.0085046349460671626,
    0.0085607544692175089, 0.0086777744632297524, 0.0088209374720749339, 0.0089169775685145614,
    0.0090843171354234569, 0.0092006731986968588, 0.0092986411046631148, 0.0094021450837690791,
    0.009595945389512443, 0.009785621649575655, 0.0099243119453715188, 0.010087482360196255,
    0.010228509128379229, 0.010435288968700641, 0.010595891369717305, 0.010724371817786384,
    0.010912212421403042, 0.011041258623888286, 0.011154950860987833, 0.011281484479605733,
    0.011603859098146742, 0.012123839812393185, 0.012582895909186965, 0.013078199522935921,
    0.013622418257074664, 0.014559257154086621, 0.015277873057764556, 0.016732340840049625,
  ],
  lower: [
    1, 0.94069162769613857, 0.92177777959325824, 0.90712814792823593, 0.89400402687591773,
    0.88374376843794444, 0.87726153203234036, 0.86890085983999776, 0.86192026739974259, 0.85416388080651906,
    0.84647538225113961, 0.84110765640582208, 0.83444088894320867, 0.8276686481808706, 0.82332873965307352,
    0.8165663456536727, 0.81138137610496441, 0.80651244936442779, 0.80195654724406185, 0.79828854382998882,
    0.79476942162524733, 0.79140355916222149, 0.78599887456622541, 0.78335569797201388, 0.7785928079381198,
    0.77374160257203051, 0.77053058578714118, 0.76769859301201171, 0.76504102813267738, 0.76167672995137914,
    0.75802880511622628, 0.75432044268393295, 0.7498521875219134, 0.74650930552925066, 0.74359880445961068,
    0.73989857859398789, 0.73737150583406164, 0.73353015022194279, 0.7301437949707098, 0.72643822616264186,
    0.72294589915172192, 0.71911459516191745, 0.71520240708804239, 0.71092850565396792, 0.70918489970711829,
    0.70740911727678579, 0.70377573771106561, 0.69942388416337808, 0.69655944398427827, 0.69166601064869504,
    0.68832601694831164, 0.6855783980950938, 0.6827473768329384, 0.6776057022377977, 0.67268738861259736,
    0.66917715797269683, 0.66515142785647341, 0.66179163583638412, 0.6570037529472742, 0.65339167853756308,
    0.65058430300466907, 0.64664706012080697, 0.6440549637950419, 0.64186892097364545, 0.63955093464116686,
    0.63396002109736971, 0.62534418110412227, 0.61816333990923367, 0.61099370738193992, 0.6037971127802243,
    0.59250576277258482, 0.58499883821146781, 0.5736650422052828,
  ],
  upper: [
    1, 0.95126053213108186, 0.93393189955457945, 0.9203688625858556, 0.90814044364880175, 0.89853867199877258,
    0.89245617699778346, 0.88459526776648545, 0.87802019972504697, 0.87070343251843618, 0.86343908872151998,
    0.85836185503374007, 0.85205015355330471, 0.84563291169804078, 0.84151810407966909, 0.83510112954303906,
    0.8301773595769707, 0.82555100871700882, 0.82122074461007211, 0.81773473963602128, 0.81439002091220092,
    0.81119091439612234, 0.80605201270678195, 0.80353896955779336, 0.79901214058487302, 0.79440163649939866,
    0.79134996969334959, 0.78865983028377817, 0.78613661650714894, 0.78294280350442591, 0.77948069685077603,
    0.77596205635288817, 0.77172230036023504, 0.7685506402302984, 0.76579016091231789, 0.76228204599313643,
    0.75988865002133132, 0.75625098895659415, 0.75304521689014992, 0.74953813903036648, 0.74623336234895388,
    0.74260939564133632, 0.73891104821581211, 0.73487231608354364, 0.73322589883418232, 0.73155083043880442,
    0.72812737740106359, 0.72403114763881626, 0.72133744116621745, 0.71673993660834368, 0.71360426911041919,
    0.71102874794307103, 0.70837998363328647, 0.70357956810881961, 0.6989922461786312, 0.69572288211262712,
    0.69197991458989949, 0.68886531704269127, 0.68443611659898984, 0.68110187721181614, 0.67851707979697773,
    0.6749075578793603, 0.67254229955462208, 0.67055834345231291, 0.66846823059395244, 0.66346240204553208,
    0.65578091800053984, 0.64941812665221765, 0.64313345955565149, 0.63691558925315672, 0.62730435560058118,
    0.62110367916414311, 0.6125528636349431,
  ],
};

/** summary(fit, times = c(1, 12, 24, 72)) for each conf.type (time, n.risk, n.event, surv, std.err agree). */
const R_SUMMARY = {
  time: [1, 12, 24, 72],
  nRisk: [7032, 4974, 3927, 362],
  nEvent: [380, 657, 294, 538],
  survival: [0.94596131968145625, 0.84319955381583134, 0.78873639837059883, 0.5927901520522304],
  stdErr: [0.0026961846106099726, 0.0044921602548410617, 0.0052089636905011411, 0.0099187668707627612],
  log: {
    lower: [0.94069162769613857, 0.83444088894320867, 0.7785928079381198, 0.5736650422052828],
    upper: [0.95126053213108186, 0.85205015355330471, 0.79901214058487302, 0.6125528636349431],
  },
  'log-log': {
    lower: [0.94041837131583528, 0.83416868581146308, 0.77831295552991531, 0.57306289100429453],
    upper: [0.95100212095724002, 0.85178332069312457, 0.79873520213617832, 0.61193620919266489],
  },
  plain: {
    lower: [0.94067689494898954, 0.83439508150356057, 0.7785270171404397, 0.57334972621448632],
    upper: [0.95124574441392296, 0.85200402612810211, 0.79894577960075797, 0.61223057788997448],
  },
} as const;

/** survfit(... ~ Contract): summary at 1, 12, 24, 72 per stratum (Month-to-month, One year, Two year). */
const R_CONTRACT = {
  nRisk: [3875, 1967, 1202, 2, 1472, 1371, 1172, 17, 1685, 1636, 1553, 343],
  nEvent: [380, 644, 278, 353, 0, 13, 16, 137, 0, 0, 0, 48],
  survival: [
    0.90193548387096778, 0.70309663634886599, 0.58591547390466736, 0.12895190061439435, 1,
    0.99080820407486558, 0.97827237642791509, 0.56814568202867211, 1, 1, 1, 0.93573858064672644,
  ],
  stdErr: [
    0.0047775784608715217, 0.0079193691253316642, 0.0092454083772174189, 0.030982237875277166, 0,
    0.0025385009643608403, 0.0039987358919652766, 0.058060208335309789, 0, 0, 0, 0.0098630023800846175,
  ],
  lower: [
    0.8926200422199404, 0.68774503381911301, 0.56807214982957965, 0.080522339907713528, 1,
    0.98584530470597243, 0.97046630880020401, 0.46502181352118815, 1, 1, 1, 0.91660576111308512,
  ],
  upper: [
    0.91134814208564963, 0.71879091194587885, 0.60431926237524436, 0.20650905936318573, 1,
    0.99579608745497039, 0.98614123314088953, 0.69413843957906618, 1, 1, 1, 0.9552707701154447,
  ],
  // print(fit): median, 0.95LCL, 0.95UCL per stratum.
  median: [35, NaN, NaN],
  lcl: [32, 72, NaN],
  ucl: [38, NaN, NaN],
};

describe('Kaplan-Meier on the Telco data, against R survfit', () => {
  const telco = loadTelco();
  const km = kaplanMeier(telco.tenure, telco.churn);

  it('reproduces every row of the curve (tenure 0 included)', () => {
    expect(km.n).toBe(7043);
    expect(km.events).toBe(1869);
    expectAll(km.time, R_OVERALL.time, 0, 'time');
    expectAll(km.nRisk, R_OVERALL.nRisk, 0, 'n.risk');
    expectAll(km.nEvent, R_OVERALL.nEvent, 0, 'n.event');
    expectAll(km.nCensor, R_OVERALL.nCensor, 0, 'n.censor');
    expectAll(km.survival, R_OVERALL.survival, TOL_KM, 'surv');
    expectAll(km.stdErrLog, R_OVERALL.stdErrLog, TOL_KM, 'std.err');
    expectAll(km.lower, R_OVERALL.lower, TOL_KM, 'lower');
    expectAll(km.upper, R_OVERALL.upper, TOL_KM, 'upper');
  });

  for (const confType of ['log', 'log-log', 'plain'] as const) {
    it(`summary(times = c(1, 12, 24, 72)) with conf.type = "${confType}"`, () => {
      const at = survivalAt(kaplanMeier(telco.tenure, telco.churn, { confType }), [72, 1, 24, 12]);
      expectAll(
        at.map((r) => r.time),
        R_SUMMARY.time,
        0,
        'time',
      );
      expectAll(
        at.map((r) => r.nRisk),
        R_SUMMARY.nRisk,
        0,
        'n.risk',
      );
      expectAll(
        at.map((r) => r.nEvent),
        R_SUMMARY.nEvent,
        0,
        'n.event',
      );
      expectAll(
        at.map((r) => r.survival),
        R_SUMMARY.survival,
        TOL_KM,
        'surv',
      );
      expectAll(
        at.map((r) => r.stdErr),
        R_SUMMARY.stdErr,
        TOL_KM,
        'std.err',
      );
      expectAll(
        at.map((r) => r.lower),
        R_SUMMARY[confType].lower,
        TOL_KM,
        'lower',
      );
      expectAll(
        at.map((r) => r.upper),
        R_SUMMARY[confType].upper,
        TOL_KM,
        'upper',
      );
    });
  }

  it('median is NA overall (the curve stays above one half), as R prints', () => {
    const m = medianSurvival(km);
    expect([m.median, m.lower, m.upper]).toEqual([NaN, NaN, NaN]);
  });

  it('by Contract: survival at 1, 12, 24, 72 and the medians R prints', () => {
    const curves = kaplanMeierByGroup(telco.tenure, telco.churn, telco.contract);
    expect(curves.map((c) => c.group)).toEqual(['Month-to-month', 'One year', 'Two year']);
    const at = curves.flatMap((c) => survivalAt(c.curve, [1, 12, 24, 72]));
    expectAll(
      at.map((r) => r.nRisk),
      R_CONTRACT.nRisk,
      0,
      'n.risk',
    );
    expectAll(
      at.map((r) => r.nEvent),
      R_CONTRACT.nEvent,
      0,
      'n.event',
    );
    expectAll(
      at.map((r) => r.survival),
      R_CONTRACT.survival,
      TOL_KM,
      'surv',
    );
    expectAll(
      at.map((r) => r.stdErr),
      R_CONTRACT.stdErr,
      TOL_KM,
      'std.err',
    );
    expectAll(
      at.map((r) => r.lower),
      R_CONTRACT.lower,
      TOL_KM,
      'lower',
    );
    expectAll(
      at.map((r) => r.upper),
      R_CONTRACT.upper,
      TOL_KM,
      'upper',
    );
    const medians = curves.map((c) => medianSurvival(c.curve));
    expectAll(
      medians.map((m) => m.median),
      R_CONTRACT.median,
      0,
      'median',
    );
    expectAll(
      medians.map((m) => m.lower),
      R_CONTRACT.lcl,
      0,
      'LCL',
    );
    expectAll(
      medians.map((m) => m.upper),
      R_CONTRACT.ucl,
      0,
      'UCL',
    );
  });

  it('times before the first and after the last time (R summary extend = TRUE)', () => {
    const curves = kaplanMeierByGroup(telco.tenure, telco.churn, telco.contract);
    // R: summary(fit, times = c(0, 80), extend = TRUE): n.risk 3875/0, 1473/0, 1695/0.
    const at = curves.map((c) => survivalAt(c.curve, [0, 80]));
    expect(at.map((r) => r.map((x) => x.nRisk))).toEqual([
      [3875, 0],
      [1473, 0],
      [1695, 0],
    ]);
    expectAll(
      at.flatMap((r) => r.map((x) => x.survival)),
      [1, 0.12895190061439435, 1, 0.56814568202867211, 1, 0.93573858064672644],
      TOL_KM,
      'surv',
    );
    expectAll(
      at.flatMap((r) => r.map((x) => x.stdErr)),
      [0, 0.030982237875277166, 0, 0.058060208335309789, 0, 0.0098630023800846175],
      TOL_KM,
      'std.err',
    );
    // Before any time: survival 1 with n at risk = everyone.
    expect(survivalAt(km, [-1])[0]).toMatchObject({
      nRisk: 7043,
      nEvent: 0,
      survival: 1,
      stdErr: 0,
      lower: 1,
      upper: 1,
    });
  });

  it('the counts path (what SQL sends) gives the same curve as the subject path', () => {
    const rows = [];
    const counts = aggregateSurvival(telco.tenure, telco.churn);
    for (let i = counts.time.length - 1; i >= 0; i--) {
      // Reversed and split in two rows per time, to exercise sorting and merging.
      const t = counts.time[i]!;
      rows.push(
        { time: t, events: counts.events[i]!, censored: 0 },
        { time: t, events: 0, censored: counts.censored[i]! },
      );
    }
    const fromCounts = kaplanMeierFromCounts(rows);
    expectAll(fromCounts.survival, R_OVERALL.survival, TOL_KM, 'surv');
    expectAll(fromCounts.nRisk, R_OVERALL.nRisk, 0, 'n.risk');
    const grouped = kaplanMeierByGroupFromCounts(
      Array.from(telco.tenure, (t, i) => ({
        group: telco.contract.levels[telco.contract.codes[i]!]!,
        time: t,
        events: telco.churn[i]!,
        censored: 1 - telco.churn[i]!,
      })),
    );
    const at = grouped.flatMap((c) => survivalAt(c.curve, [1, 12, 24, 72]));
    expectAll(
      at.map((r) => r.survival),
      R_CONTRACT.survival,
      TOL_KM,
      'surv',
    );
  });
});

describe('Kaplan-Meier edge cases, against R', () => {
  it('ties, and a median from the lower curve only', () => {
    const time = [1, 1, 2, 2, 2, 3, 4, 4, 5, 6, 7, 8, 8, 9];
    const status = [1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 0, 1, 1, 0];
    const km = kaplanMeier(time, status);
    expectAll(km.time, [1, 2, 3, 4, 5, 6, 7, 8, 9], 0, 'time');
    expectAll(
      km.survival,
      [
        0.9285714285714286, 0.77380952380952384, 0.68783068783068779, 0.51587301587301582,
        0.51587301587301582, 0.41269841269841268, 0.41269841269841268, 0.13756613756613756,
        0.13756613756613756,
      ],
      TOL_KM,
      'surv',
    );
    expectAll(
      km.stdErrLog,
      [
        0.074124931666110117, 0.14886628953921086, 0.18986853622983732, 0.27877720085532054,
        0.27877720085532054, 0.35737477207649632, 0.35737477207649632, 0.89128188267427177,
        0.89128188267427177,
      ],
      TOL_KM,
      'std.err',
    );
    expectAll(
      km.lower,
      [
        0.80300834840044366, 0.57798804439775142, 0.47409476201197748, 0.29870825717288985,
        0.29870825717288985, 0.20484946828507811, 0.20484946828507811, 0.023980102208492789,
        0.023980102208492789,
      ],
      TOL_KM,
      'lower',
    );
    expectAll(
      km.upper,
      [
        1, 1, 0.99792508382466483, 0.89091935731756478, 0.89091935731756478, 0.83143969701090026,
        0.83143969701090026, 0.78917270828658959, 0.78917270828658959,
      ],
      TOL_KM,
      'upper',
    );
    const m = medianSurvival(km);
    expectAll([m.median, m.lower, m.upper], [6, 3, NaN], 0, 'median');
  });

  it("R's midpoint rule when the curve is exactly one half on an interval", () => {
    const km = kaplanMeier([1, 2, 3, 4], [1, 1, 1, 1]);
    expectAll(km.survival, [0.75, 0.5, 0.25, 0], TOL_KM, 'surv');
    expectAll(km.stdErrLog, [0.28867513459481287, 0.5, 0.8660254037844386, Infinity], TOL_KM, 'std.err');
    expectAll(
      km.lower,
      [0.42593226849798205, 0.18765892870658832, 0.045790759666018192, NaN],
      TOL_KM,
      'lower',
    );
    expectAll(km.upper, [1, 1, 1, NaN], TOL_KM, 'upper');
    const m = medianSurvival(km);
    expectAll([m.median, m.lower, m.upper], [2.5, 1, NaN], 0, 'median');
    // The same rule at the first quartile: S = 0.75 exactly on [1, 2).
    expect(survivalQuantile(km, 0.25).median).toBe(1.5);
  });

  it('a curve that drops to 0: infinite Greenwood term, NA limits, for all three interval types', () => {
    const time = [1, 2, 2, 3, 5, 6];
    const status = [1, 1, 0, 1, 1, 1];
    const km = kaplanMeier(time, status);
    expectAll(
      km.survival,
      [0.83333333333333337, 0.66666666666666674, 0.44444444444444448, 0.22222222222222224, 0],
      TOL_KM,
      'surv',
    );
    expectAll(
      km.stdErrLog,
      [0.18257418583505536, 0.28867513459481292, 0.5, 0.8660254037844386, Infinity],
      TOL_KM,
      'std.err',
    );
    expectAll(
      km.lower,
      [0.58265479547713961, 0.3786064608870951, 0.16680793662807852, 0.04070289748090504, NaN],
      TOL_KM,
      'lower',
    );
    expectAll(km.upper, [1, 1, 1, 1, NaN], TOL_KM, 'upper');
    const m = medianSurvival(km);
    expectAll([m.median, m.lower, m.upper], [3, 2, NaN], 0, 'median');
    const ll = kaplanMeier(time, status, { confType: 'log-log' });
    expectAll(
      ll.lower,
      [0.273122849928356, 0.19461663680623487, 0.066186753146412466, 0.0095691365390372877, NaN],
      TOL_KM,
      'log-log lower',
    );
    expectAll(
      ll.upper,
      [0.97471242669089353, 0.90443416432251644, 0.78490836714795853, 0.61472052328762383, NaN],
      TOL_KM,
      'log-log upper',
    );
    const plain = kaplanMeier(time, status, { confType: 'plain' });
    expectAll(
      plain.lower,
      [0.5351343093804739, 0.28947142197460951, 0.008896892324432526, 0, NaN],
      TOL_KM,
      'plain lower',
    );
    expectAll(plain.upper, [1, 1, 0.87999199656445648, 0.59941746691427944, NaN], TOL_KM, 'plain upper');
    const at = survivalAt(plain, [0.5, 2.5, 10]);
    expectAll(
      at.map((r) => r.nRisk),
      [6, 3, 0],
      0,
      'n.risk',
    );
    expectAll(
      at.map((r) => r.nEvent),
      [0, 2, 3],
      0,
      'n.event',
    );
    expectAll(
      at.map((r) => r.survival),
      [1, 0.66666666666666674, 0],
      TOL_KM,
      'surv',
    );
  });

  it('rejects bad data and options', () => {
    expect(() => kaplanMeier([1, -1], [1, 0])).toThrow(SurvivalInputError);
    expect(() => kaplanMeier([1, NaN], [1, 0])).toThrow(SurvivalInputError);
    expect(() => kaplanMeier([1, 2], [1, 2])).toThrow(SurvivalInputError);
    expect(() => kaplanMeier([1, 2], [1])).toThrow(SurvivalInputError);
    expect(() => kaplanMeierFromCounts([{ time: 1, events: -1, censored: 0 }])).toThrow(SurvivalInputError);
    expect(() => kaplanMeier([1], [1], { confLevel: 1 })).toThrow(RangeError);
    expect(() => kaplanMeierByGroup([1], [1], { codes: [-1], levels: ['a'] })).toThrow(SurvivalInputError);
  });

  it('integer and non-integer times aggregate the same way', () => {
    const a = aggregateSurvival([3, 1, 3, 2.5], [1, 0, 0, 1]);
    expect(Array.from(a.time)).toEqual([1, 2.5, 3]);
    expect(Array.from(a.events)).toEqual([0, 1, 1]);
    expect(Array.from(a.censored)).toEqual([1, 0, 1]);
    const b = countsFromRows([
      { time: 3, events: 1, censored: 1 },
      { time: 1, events: 0, censored: 1 },
      { time: 2.5, events: 1, censored: 0 },
    ]);
    expect(b).toEqual(a);
  });

  it('aggregates a million subjects quickly (typed arrays, O(n) for integer times)', () => {
    const n = 1_000_000;
    const t = new Float64Array(n);
    const e = new Uint8Array(n);
    let seed = 12345;
    for (let i = 0; i < n; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      t[i] = seed % 120;
      e[i] = (seed >> 8) % 3 === 0 ? 1 : 0;
    }
    const km = kaplanMeier(t, e);
    for (let i = 0; i < n; i++) t[i]! += 0.5 * (i % 2);
    const km2 = kaplanMeier(t, e);
    // the integer path and the sorting path see the same subjects (speed: npm run bench)
    expect(km.n).toBe(n);
    expect(km2.n).toBe(n);
    expect(km2.events).toBe(km.events);
  });
});

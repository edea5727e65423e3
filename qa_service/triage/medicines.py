"""The medicine names the triage rules know (patterns.py, dosing.py, rules.py): generic and brand
names patients use, and generic names by their stems, as one regular-expression alternation over
normalised text (text.normalise)."""

from __future__ import annotations

DRUGS = (
    r"prednisone|prednisolone|steroids?|methotrexate|mtx|mycophenolate|cellcept|azathioprine|imuran|"
    r"tacrolimus|cyclosporine|hydroxychloroquine|plaquenil|statins?|atorvastatin|simvastatin|"
    r"rosuvastatin|ibuprofen|advil|motrin|naproxen|aleve|aspirin|acetaminophen|paracetamol|tylenol|"
    r"insulin|opioids?|oxycodone|morphine|tramadol|sleeping pills|antidepressants?|warfarin|"
    r"blood thinners?|iron|vitamins?|calcium|adcal|alendronate|alendronic acid|risedronate|"
    r"bisphosphonates?|omeprazole|lansoprazole|co-trimoxazole|septrin|gliclazide|metformin|"
    r"cyclophosphamide|rituximab|rituxan|ivig|folic acid|pred|aza|hcq|mmf|tacro|tofacitinib|fosamax|"
    r"vitamin d|vit d|hydrocortisone|allopurinol|prograf|sandimmune|neoral|ciclosporin|septra|bactrim|"
    # Brand and other names patients use, then generic names by their stems (-statin, -xaban, -mab...):
    # a medicine is recognised whether or not it is listed here.
    r"metho|methylprednisolone|medrol|dexamethasone|budesonide|deflazacort|fludrocortisone|cortisone|"
    r"leflunomide|arava|sulfasalazine|humira|enbrel|remicade|orencia|actemra|xeljanz|olumiant|rinvoq|"
    r"benlysta|privigen|gamunex|octagam|hizentra|cuvitru|eliquis|xarelto|pradaxa|novorapid|lantus|"
    r"humalog|levemir|ozempic|prolia|forteo|xgeva|zometa|actonel|benadryl|zyrtec|claritin|lipitor|"
    r"crestor|zocor|synthroid|gabapentin|pregabalin|lyrica|neurontin|codeine|co-codamol|diclofenac|"
    r"voltaren|celebrex|ezetimibe|repatha|praluent|nexium|zofran|ondansetron|metoclopramide|"
    r"colecalciferol|cholecalciferol|calcichew|denosumab|zoledronic acid|teriparatide|penicillin|"
    r"trimethoprim|nitrofurantoin|thyroxine|levothyroxine|red yeast rice|sertraline|citalopram|"
    r"escitalopram|venlafaxine|mirtazapine|bupropion|ritux|hydroxy|mycophenolic acid|myfortic|cyclo|"
    r"\w{3,}(?:statin|olol|pril|sartan|mab|tinib|citinib|azole|cillin|mycin|cycline|floxacin|prazole|"
    r"dronate|parin|xaban|gatran|gliptin|glutide|triptan|dipine|zepam|zolam|oxetine|triptyline|pramine|"
    r"calciferol|olone|isone|asone|ciclovir|cyclovir|lukast|phylline|setron|tidine)"
)

# Household chemicals and other poisons people swallow, drink or breathe (patterns.py, general_patterns.py).
CHEMICALS = (
    r"bleach|chemicals?|cleaner|cleaning (fluid|product|spray)|detergent|laundry pods?|dishwasher pods?|"
    r"dishwasher tablets?|(dishwasher|washing[- ]up|dish) (liquid|soap)|antifreeze|poison|rat poison|"
    r"pesticide|insecticide|weed ?killer|lighter fluid|lamp oil|slug pellets|slug bait|"
    r"paint thinner|drain cleaner|oven cleaner|gasoline|petrol|kerosene|button batter(y|ies)|"
    r"batter(y|ies)|nail polish remover|hand sanitizer|(washer|windshield|windscreen|brake|cleaning|"
    r"lighter) fluid|screen ?wash|perfume|essential oils?|e-liquid|vape (juice|liquid)|nicotine|"
    r"toilet (cleaner|duck|block|bleach|gel)|limescale remover|descaler|washing (powder|capsules?|tablets?|"
    r"pods?|gel)|fabric softener|conditioner capsules?|liquitabs?|white spirit|turps|turpentine|acetone|"
    r"methylated spirits?|meths|rubbing alcohol|surgical spirit|mothballs?|fertili[sz]er|plant food|"
    r"de-?icer|caustic soda|ammonia|superglue|mouthwash|(bathroom|kitchen|surface|multi-purpose|oven|"
    r"floor|window|glass) (cleaner|spray)|air freshener|wd-?40|silver polish|furniture polish|rinse aid|"
    r"dishwasher (salt|cleaner|gel|powder|rinse)|washing machine cleaner|(pool|swimming pool) (chemicals?|"
    r"chlorine|shock)|chlorine|hair (dye|relaxer)|nail glue|battery acid|coolant|radiator fluid|"
    r"(ant|slug|rat|mouse|roach|cockroach|wasp) (killer|bait|powder|gel)|rodenticide|bug spray|"
    r"flea (treatment|spray|drops)|oven spray|mould (remover|spray)|mold (remover|spray)|grout cleaner"
)

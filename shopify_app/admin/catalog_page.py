"""The admin's "Products customers can choose" section: where swaps come from and which
products customers may add to their next order, picked by searching the store
(`static/admin_products.js` fills it; `catalog_settings` checks and saves it)."""

from __future__ import annotations


def products_form() -> str:
    return (
        "<form id=products-form novalidate>"
        "<fieldset id=swap-source><legend>What customers can swap a product for</legend>"
        "<label class=check for=swap-source-product><input type=radio id=swap-source-product "
        "name=swap_source value=product> Other variants of the same product</label>"
        "<label class=check for=swap-source-collection><input type=radio "
        "id=swap-source-collection name=swap_source value=collection> Products of a collection"
        "</label>"
        "<p id=swap-collection-chosen class=hint>No collection chosen.</p>"
        "<div class=inline><label for=collection-q>Find a collection</label>"
        "<input id=collection-q type=search maxlength=100 autocomplete=off>"
        "<s-button id=collection-search type=button>Search collections</s-button></div>"
        "<ul id=collection-results class=results aria-label='Collections found'></ul>"
        "</fieldset>"
        "<fieldset id=addon-products><legend>Products customers can add to their next order "
        "only</legend>"
        "<p class=hint>Added once, to the next order; customers can remove them until it "
        "bills.</p>"
        "<ul id=addon-chosen class=results aria-label='Offered products'></ul>"
        "<div class=inline><label for=product-q>Find a product</label>"
        "<input id=product-q type=search maxlength=100 autocomplete=off>"
        "<s-button id=product-search type=button>Search products</s-button></div>"
        "<ul id=product-results class=results aria-label='Products found'></ul>"
        "</fieldset>"
        "<div class=actions><s-button id=save-products type=submit variant=primary>"
        "Save products</s-button><p id=products-msg class=msg role=status></p></div></form>"
    )

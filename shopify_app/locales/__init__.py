"""The portal's strings per locale (`<locale>.json`) and the catalogue that reads them."""

"""deepfakesweb: a self-hostable, wire-compatible DeepFakesWeb face-swap video API."""

__version__ = "0.1.0"
GENERATOR = f"deepfakesweb {__version__}"

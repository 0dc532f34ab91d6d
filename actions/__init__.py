"""The action server: thin rasa-sdk adapters over the CRM's services, one module per IC step.

Started as ``python -m rasa_sdk --actions actions``; every module of this
package is imported and its actions registered. Nothing connects to the
database at import time: see :mod:`actions.runtime`.
"""
